import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  events as fixtures,
  type SegmentEmulator,
  startSegmentApi,
  users,
} from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { analyticsFor, setup } from "./helpers.ts";

// What reaches onError, printed the four ways users print it, for each way a Segment delivery fails: no
// printer may show the user's email address (a trait) or the write key.

const WRITE_KEY = "wk_SafeToLogWriteKey0123";
let segment: SegmentEmulator;
beforeAll(async () => {
  segment = await startSegmentApi({ writeKey: WRITE_KEY });
});
beforeEach(async () => {
  await segment.up();
  segment.reset();
});
afterAll(() => segment.close());

const user = { ...users.alice, id: "user_victim", email: "victim@example.com" };
const secrets = [user.email, WRITE_KEY, "victim"];

async function failure(app: ReturnType<typeof setup>) {
  await app.dispatch("createUser", fixtures.createUser(user));
  expect(app.errors).toHaveLength(1);
  return app.errors[0]!;
}

describe("segmentTracking: the error onError gets is safe to log", () => {
  it("a 500", async () => {
    segment.fail({ status: 500, body: `failed for ${user.email} (${WRITE_KEY})` });
    const error = await failure(setup(segment));
    expect(error.cause).toMatchObject({ status: 500, retryable: true });
    expectNothingPrinted(error, secrets);
  });

  it("a wrong write key (401)", async () => {
    const wrong = "wk_WrongWriteKeyForLogs99";
    const error = await failure(
      setup(segment, { analytics: analyticsFor(segment, { writeKey: wrong }) }),
    );
    expect(error.cause).toMatchObject({ status: 401, retryable: false });
    expectNothingPrinted(error, [...secrets, wrong]);
  });

  it("connection refused", async () => {
    await segment.down();
    const error = await failure(setup(segment));
    expect(error.cause).toMatchObject({ retryable: true });
    expectNothingPrinted(error, secrets);
  });

  it("a client the app closed", async () => {
    const app = setup(segment);
    await app.analytics.closeAndFlush();
    const error = await failure(app);
    expect(error.cause).toMatchObject({ retryable: false });
    expectNothingPrinted(error, secrets);
  });

  it("a hostile endpoint that echoes the write key, decoded and encoded, in its reason phrase", async () => {
    // No key shape a generic redaction would know: only the recipe knows this is its credential.
    const writeKey = "plainwritekey0123";
    const basic = btoa(`${writeKey}:`);
    const hostile = createServer((request, response) => {
      const sent = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
      response.statusMessage = `Unauthorized ${atob(sent).replace(/:$/, "")} ${sent} ${encodeURIComponent(writeKey)}`;
      response.statusCode = 401;
      request.resume();
      request.on("end", () => response.end());
    });
    await new Promise<void>((listening) => hostile.listen(0, "127.0.0.1", listening));
    try {
      const { port } = hostile.address() as AddressInfo;
      const analytics = analyticsFor(segment, { writeKey, host: `http://127.0.0.1:${port}` });
      const error = await failure(setup(segment, { analytics }));
      expect(error.cause).toMatchObject({ status: 401, retryable: false });
      expect(error.cause.message).toContain("Unauthorized");
      expectNothingPrinted(error, [...secrets, writeKey, basic]);
    } finally {
      await new Promise((closed) => hostile.close(closed));
    }
  });
});
