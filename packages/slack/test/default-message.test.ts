import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultSlackMessage, escapeMrkdwn, type SlackEventInput } from "../src/index.ts";

const user = { id: "user_alice", name: "Alice Liddell", email: "alice@example.test" };
const account = { provider: "github", type: "oauth", providerAccountId: "123" };
const now = new Date("2026-03-04T05:06:07Z");
// The inputs the README's examples describe.
const inputs: SlackEventInput[] = [
  { event: "createUser", message: { user } },
  { event: "signIn", message: { user, account, isNewUser: false } },
  { event: "signOut", message: { token: { sub: user.id, name: user.name, email: user.email } } },
  { event: "updateUser", message: { user } },
  { event: "linkAccount", message: { user, account, profile: {} } },
];

describe("escapeMrkdwn", () => {
  it("escapes exactly &, < and >, & first so nothing is escaped twice", () => {
    expect(escapeMrkdwn("<!channel> & <@U1|x> *b* &amp;")).toBe(
      "&lt;!channel&gt; &amp; &lt;@U1|x&gt; *b* &amp;amp;",
    );
    expect(escapeMrkdwn("plain")).toBe("plain");
  });
});

describe("defaultSlackMessage", () => {
  it("is what the README shows for each event", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const input of inputs) {
      const section = new RegExp(
        `#### \`${input.event}\`[^\\n]*\\n[\\s\\S]*?\`\`\`json\\n([\\s\\S]*?)\`\`\``,
      ).exec(readme);
      expect(section, `README section for ${input.event}`).not.toBeNull();
      expect(JSON.parse(section![1]!), input.event).toEqual(defaultSlackMessage(input, { now }));
    }
  });

  it("names no auth library: the same message is sent under next-auth and better-auth", () => {
    for (const input of inputs) {
      const text = JSON.stringify(defaultSlackMessage(input, { now }));
      expect(text, input.event).not.toMatch(/next-?auth|auth\.js|better-?auth/i);
    }
  });

  it("says New sign-up for a signIn with isNewUser", () => {
    const message = defaultSlackMessage(
      { event: "signIn", message: { user, account, isNewUser: true } },
      { now },
    );
    expect(message.text).toBe("New sign-up: Alice Liddell (alice@example.test) with github");
    expect(message.blocks?.[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "New sign-up" },
    });
  });

  it("names the user by email, then by id, then as Someone", () => {
    const text = (u: Record<string, unknown>) =>
      defaultSlackMessage({ event: "createUser", message: { user: u } }, { now }).text;
    expect(text({ email: "x@example.test", id: "u1" })).toBe("New sign-up: x@example.test");
    expect(text({ id: "u1", name: "  ", email: null })).toBe("New sign-up: user u1");
    expect(text({})).toBe("New sign-up: Someone");
    expect(text({ name: "N", email: "x@example.test" })).toBe("New sign-up: N (x@example.test)");
  });

  it("leaves the email out of text and blocks with includeEmail: false", () => {
    const message = defaultSlackMessage(inputs[0]!, { now, includeEmail: false });
    expect(JSON.stringify(message)).not.toContain("alice@example.test");
    expect(JSON.stringify(message)).not.toContain("Email");
  });

  it("reads the user of a database sign-out from the session row", () => {
    const message = defaultSlackMessage(
      {
        event: "signOut",
        message: { session: { userId: "user_bob", sessionToken: "secret-session" } },
      },
      { now },
    );
    expect(message.text).toBe("user user_bob signed out");
    expect(JSON.stringify(message)).not.toContain("secret-session");
  });

  it("uses the current time when none is given", () => {
    const before = Math.floor(Date.now() / 1000);
    const context = JSON.stringify(defaultSlackMessage(inputs[0]!).blocks?.[2]);
    const seconds = Number(/<!date\^(\d+)\^/.exec(context)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(before + 2);
  });
});
