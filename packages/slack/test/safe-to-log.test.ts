import type { RecipeError } from "@auth-recipes/core";
import { events, type SlackEmulator, startSlackApi, users } from "@auth-recipes/testing";
import { expectNothingPrinted } from "@auth-recipes/testing/printed";
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackNotify } from "../src/index.ts";
import { dispatch, webClient } from "./helpers.ts";

// What reaches onError, printed the four ways users print it, for each way Slack fails: no printer may
// show the user's email address or the token.

const TOKEN = "xoxb-1234-5678-SafeToLogToken";
let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackApi({ token: TOKEN });
});
beforeEach(async () => {
  await slack.up();
  slack.reset();
});
afterAll(() => slack.close());

const user = { ...users.alice, id: "user_victim", email: "victim@example.com" };
const secrets = [user.email, TOKEN, "victim"];

async function failure(client: WebClient = webClient(slack), channel = "#signups") {
  const { errors } = await dispatch(
    slackNotify({ client, channel }),
    "createUser",
    events.createUser(user),
  );
  expect(errors).toHaveLength(1);
  return errors[0] as RecipeError;
}

describe("slackNotify: the error onError gets is safe to log", () => {
  it("a platform error (channel_not_found)", async () => {
    const error = await failure(webClient(slack), "#nowhere");
    expect(error.cause).toMatchObject({ kind: "platform", slackError: "channel_not_found" });
    expectNothingPrinted(error, secrets);
  });

  it("a wrong token (invalid_auth)", async () => {
    const wrong = "xoxb-9999-8888-WrongTokenForLogs";
    const error = await failure(webClient(slack, {}, wrong));
    expect(error.cause).toMatchObject({ slackError: "invalid_auth" });
    expectNothingPrinted(error, [...secrets, wrong]);
  });

  it("a 500 whose raw body echoes the email and the token", async () => {
    slack.fail({ status: 500, body: `failed posting for ${user.email} as ${TOKEN}` });
    const error = await failure();
    expect(error.cause).toMatchObject({ kind: "http", statusCode: 500 });
    expectNothingPrinted(error, secrets);
  });

  it("a rate limit with Retry-After", async () => {
    slack.fail({ status: 429, headers: { "Retry-After": "30" } });
    const error = await failure(webClient(slack, { rejectRateLimitedCalls: true }));
    expect(error.cause).toMatchObject({ kind: "rate_limited", retryAfterMs: 30_000 });
    expectNothingPrinted(error, secrets);
  });

  it("a network error whose message quotes the request's token and the user", async () => {
    const client = webClient(slack, {
      fetch: async (_url, init) => {
        const auth = new Headers(init?.headers).get("authorization");
        throw new Error(`proxy refused ${auth} posting about ${user.email}`);
      },
    });
    const error = await failure(client);
    expect(error.cause).toMatchObject({ kind: "network" });
    expectNothingPrinted(error, secrets);
  });

  it("a token with no key shape, echoed plain and URL-encoded by a hostile endpoint", async () => {
    // Only the recipe knows this is its credential: it redacts the token its client holds.
    const plain = "plain+slack/token=0123";
    const client = webClient(
      slack,
      {
        fetch: async (_url, init) => {
          const auth = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "");
          throw new Error(`refused ${auth} (${encodeURIComponent(auth ?? "")}) for ${user.email}`);
        },
      },
      plain,
    );
    const error = await failure(client);
    expect(error.cause).toMatchObject({ kind: "network" });
    expectNothingPrinted(error, [...secrets, plain, encodeURIComponent(plain)]);
  });
});
