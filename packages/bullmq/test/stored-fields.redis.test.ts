// What a queued message keeps is an allow-list: the fields recipes read, plus those an app asks for by
// name. Read back from Redis: every key and value the enqueue wrote.
import { composeEvents, type EventName } from "@auth-recipes/core";
import { type RedisServer, startRedisServer } from "@auth-recipes/testing";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { enqueueRecipes, type RecipeJobData } from "../src/index.ts";
import { everythingStored, producerQueue, recording, redisClient } from "./helpers.ts";

let redis: RedisServer;
let queue: Queue;
let client: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  client = redisClient(redis);
});
afterEach(async () => {
  await client.flushall();
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await redis.close();
});

// Names that hold credentials in the wild, in every spelling: each gets the value `SECRET-<name>`.
const TOKEN_NAMES = [
  "access_token",
  "refresh_token",
  "id_token",
  "oauth_token",
  "oauth_token_secret",
  "accessToken",
  "refreshToken",
  "idToken",
  "sessionToken",
  "session_state",
  "password",
  "passwordHash",
  "hashedPassword",
  "apiKey",
  "client_secret",
  "code_verifier",
  "jti",
  "Authorization",
  "cookie",
  "otp",
];

function secrets(prefix: string): Record<string, string> {
  return Object.fromEntries(TOKEN_NAMES.map((name) => [name, `SECRET-${prefix}-${name}`]));
}

/** The hostile messages: secrets beside each object's identity fields, at the top and nested. */
function messages(): Array<[EventName, Record<string, unknown>]> {
  const user = {
    id: "user_alice",
    email: "alice@example.test",
    name: "Alice",
    image: "https://example.test/alice.png",
    emailVerified: new Date("2024-01-02T03:04:05.000Z"),
    role: "admin",
    ...secrets("user"),
    nested: { ...secrets("user.nested") },
  };
  const account = {
    provider: "github",
    type: "oauth",
    providerAccountId: "gh-1",
    token_type: "bearer",
    ...secrets("account"),
  };
  const profile = {
    locale: "fr",
    ...secrets("profile"),
    tokens: { ...secrets("profile.tokens") },
  };
  return [
    ["signIn", { user, account, profile, isNewUser: true, ...secrets("message") }],
    ["linkAccount", { user, account, profile }],
    ["createUser", { user }],
    ["updateUser", { user }],
    [
      "signOut",
      {
        session: {
          userId: "user_alice",
          expires: new Date("2030-01-01T00:00:00.000Z"),
          ...secrets("session"),
          user: { ...user },
        },
      },
    ],
    [
      "signOut",
      {
        token: {
          sub: "user_alice",
          email: "alice@example.test",
          name: "Alice",
          picture: "https://example.test/alice.png",
          ...secrets("token"),
          account: { ...secrets("token.account") },
        },
      },
    ],
    [
      "session",
      {
        session: { user: { ...user }, expires: "2030-01-01T00:00:00.000Z", ...secrets("session") },
        token: { sub: "user_alice", ...secrets("token") },
      },
    ],
  ];
}

async function enqueueAll(storedFields?: string[]): Promise<RecipeJobData[]> {
  const events: EventName[] = [
    "signIn",
    "linkAccount",
    "createUser",
    "updateUser",
    "signOut",
    "session",
  ];
  const composed = composeEvents([
    enqueueRecipes([recording("r", events)], { queue, ...(storedFields ? { storedFields } : {}) }),
  ]);
  for (const [event, message] of messages()) await composed[event]?.(message as never);
  const jobs = await queue.getJobs(["waiting"]);
  expect(jobs).toHaveLength(messages().length);
  return jobs.map((job) => job.data as RecipeJobData);
}

describe("the stored message", () => {
  it("keeps only the fields recipes read: no token-like name in any spelling or depth reaches Redis", async () => {
    const data = await enqueueAll();
    const stored = await everythingStored(client);
    expect(stored).not.toContain("SECRET-");
    for (const name of TOKEN_NAMES) expect(stored).not.toContain(`"${name}"`);
    expect(stored).not.toContain("admin");
    expect(stored).not.toContain('"fr"');
    const signIn = data.find((job) => job.event === "signIn")?.message;
    expect(signIn).toEqual({
      user: {
        id: "user_alice",
        email: "alice@example.test",
        name: "Alice",
        image: "https://example.test/alice.png",
        emailVerified: { $date: Date.parse("2024-01-02T03:04:05.000Z") },
      },
      account: { provider: "github", type: "oauth", providerAccountId: "gh-1" },
      isNewUser: true,
    });
    const byToken = data.find(
      (job) => job.event === "signOut" && "token" in (job.message as object),
    );
    expect(byToken?.message).toEqual({
      token: {
        sub: "user_alice",
        email: "alice@example.test",
        name: "Alice",
        picture: "https://example.test/alice.png",
      },
    });
    const bySession = data.find(
      (job) => job.event === "signOut" && "session" in (job.message as object),
    );
    expect(bySession?.message).toMatchObject({
      session: { userId: "user_alice", user: { id: "user_alice", email: "alice@example.test" } },
    });
  });

  it("keeps a field that is not a plain value only when asked: an identity field holding an object is dropped", async () => {
    const composed = composeEvents([enqueueRecipes([recording("r")], { queue })]);
    await composed.createUser?.({
      user: { id: "u", email: { access_token: "SECRET-in-email" }, name: ["SECRET-in-name"] },
    } as never);
    expect(await everythingStored(client)).not.toContain("SECRET-");
    const [job] = await queue.getJobs(["waiting"]);
    expect((job?.data as RecipeJobData | undefined)?.message).toEqual({ user: { id: "u" } });
  });

  it("stores what a custom recipe asks for by name, and nothing else", async () => {
    const data = await enqueueAll(["user.role", "profile.locale"]);
    const stored = await everythingStored(client);
    expect(stored).not.toContain("SECRET-");
    const signIn = data.find((job) => job.event === "signIn")?.message as Record<string, unknown>;
    expect(signIn.profile).toEqual({ locale: "fr" });
    expect((signIn.user as Record<string, unknown>).role).toBe("admin");
  });

  it("refuses storedFields that are not dotted field names", () => {
    for (const storedFields of [
      "user.role",
      [""],
      ["user..role"],
      ["user.__proto__"],
      [1],
      ["constructor.prototype"],
    ]) {
      expect(() => enqueueRecipes([recording("r")], { queue, storedFields } as never)).toThrow(
        /\[auth-recipes\/bullmq\] option "storedFields"/,
      );
    }
  });
});
