import { events } from "@auth-recipes/testing";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, withoutSecrets } from "../src/index.ts";

// What BullMQ does to job data: JSON text and back.
const overTheWire = (value: unknown) =>
  decodeMessage(JSON.parse(JSON.stringify(encodeMessage(value))));

describe("the job's message encoding", () => {
  it("keeps Dates as Dates, nested and in arrays, and an invalid Date as an invalid Date", () => {
    const at = new Date("2026-01-02T03:04:05.000Z");
    const back = overTheWire({
      user: { emailVerified: at, logins: [at, null] },
      bad: new Date(Number.NaN),
    }) as {
      user: { emailVerified: Date; logins: [Date, null] };
      bad: Date;
    };
    expect(back.user.emailVerified).toBeInstanceOf(Date);
    expect(back.user.emailVerified.getTime()).toBe(at.getTime());
    expect(back.user.logins[0]).toEqual(at);
    expect(back.user.logins[1]).toBeNull();
    expect(Number.isNaN(back.bad.getTime())).toBe(true);
  });

  it("cannot be forged by a message's own keys", () => {
    const profile = { $date: 0, $$date: "x", name: "$date" };
    expect(overTheWire({ profile })).toEqual({ profile });
  });

  it("drops what JSON drops and survives cycles", () => {
    const user: Record<string, unknown> = { id: "u1", fn: () => 1, missing: undefined, big: 10n };
    user.self = user;
    expect(overTheWire({ user })).toEqual({ user: { id: "u1", big: "10", self: null } });
  });
});

describe("withoutSecrets", () => {
  it("keeps only the fields recipes read and leaves the message it was given untouched", () => {
    const message = events.signInOAuth();
    const stripped = withoutSecrets(message) as typeof message;
    // An allow-list: the account's provider, type and id; its scope and expiry are not read by recipes.
    expect(Object.keys(stripped.account).sort()).toEqual(["provider", "providerAccountId", "type"]);
    expect(message.account.access_token).toContain("fixture-access-token");
    const token = withoutSecrets(events.signOutWithToken()) as { token: Record<string, unknown> };
    expect(Object.keys(token.token).sort()).toEqual(["email", "name", "picture", "sub"]);
    const session = withoutSecrets(events.signOutWithSession()) as {
      session: Record<string, unknown>;
    };
    expect(session.session).toEqual({
      userId: "user_alice",
      expires: new Date("2026-02-01T03:04:05.000Z"),
    });
  });
});
