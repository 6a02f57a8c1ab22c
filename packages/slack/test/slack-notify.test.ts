import { composeEvents, isRetryable, type RecipeError } from "@auth-recipes/core";
import {
  events,
  hostileUsers,
  type SlackEmulator,
  type SlackMessage,
  secretsOf,
  startSlackApi,
  users,
} from "@auth-recipes/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type SlackNotifyError, slackNotify } from "../src/index.ts";
import { dispatch, webClient } from "./helpers.ts";

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackApi();
});
afterAll(() => slack.close());
afterEach(() => {
  slack.reset();
  vi.useRealTimers();
});

const cause = (error: RecipeError | undefined) => error?.cause as SlackNotifyError;
const headerOf = (message: SlackMessage) => (message.blocks![0]!.text as { text: string }).text;
const nameOf = (message: SlackMessage) =>
  (message.blocks![1]!.fields as { text: string }[])[0]!.text.slice("*Name*\n".length);

describe("slackNotify: delivery", () => {
  it("posts the default createUser message to the channel, with its blocks and no link_names", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-04T05:06:07.890Z"));
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    const { errors, report } = await dispatch(recipe, "createUser", events.createUser());
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ recipe: "slack", status: "fulfilled", attempts: 1 });
    const [message, ...others] = slack.channel("#signups");
    expect(others).toEqual([]);
    expect(message?.text).toBe("New sign-up: Alice Liddell (alice@example.test)");
    expect(message?.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "New sign-up" } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Name*\nAlice Liddell" },
          { type: "mrkdwn", text: "*Email*\nalice@example.test" },
          { type: "mrkdwn", text: "*User ID*\nuser_alice" },
        ],
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "`createUser` · <!date^1772600767^{date_short_pretty} at {time}|2026-03-04T05:06:07Z>",
          },
        ],
      },
    ]);
    expect(message?.params).toMatchObject({ unfurl_links: "false", unfurl_media: "false" });
    expect(message?.params).not.toHaveProperty("link_names");
    expect(message?.params).not.toHaveProperty("parse");
    expect(message?.mentions).toEqual([]);
    expect(slack.requests[0]?.headers.authorization).toBe(`Bearer ${slack.token}`);
  });

  it("posts to a channel named by id too", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "C0SIGNUPS" });
    await dispatch(recipe, "createUser", events.createUser(users.bob));
    expect(slack.channel("#signups").map((message) => message.text)).toEqual([
      "New sign-up: Bob Builder (bob@example.test)",
    ]);
  });

  it("announces each event named in `on`, with its own wording, provider and user", async () => {
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      on: ["signIn", "signOut", "createUser", "updateUser", "linkAccount"],
    });
    const composed = composeEvents([recipe], { onError: (error) => expect.fail(error.message) });
    expect(Object.keys(composed)).toEqual([
      "signIn",
      "signOut",
      "createUser",
      "updateUser",
      "linkAccount",
    ]);
    await composed.signIn!(events.signInOAuth(users.alice, { isNewUser: false }));
    await composed.signIn!(events.signInOAuth(users.bob));
    await composed.signIn!(events.signInEmail(users.noName));
    await composed.signIn!(events.signInCredentials(users.alice));
    await composed.signOut!(events.signOutWithToken(users.alice));
    await composed.signOut!(events.signOutWithSession(users.bob));
    await composed.updateUser!(events.updateUser(users.noEmail));
    await composed.linkAccount!(events.linkAccount(users.alice));
    expect(slack.messages.map((message) => message.text)).toEqual([
      "Alice Liddell (alice@example.test) signed in with github",
      "New sign-up: Bob Builder (bob@example.test) with github",
      "noname@example.test signed in with email",
      "Alice Liddell (alice@example.test) signed in with credentials",
      "Alice Liddell (alice@example.test) signed out",
      // The database strategy's session row holds only the user's id.
      "user user_bob signed out",
      "User updated: Nemo Private",
      "Alice Liddell (alice@example.test) linked a github account",
    ]);
    expect(slack.messages.map((message) => headerOf(message))).toEqual([
      "Sign-in",
      "New sign-up",
      "Sign-in",
      "Sign-in",
      "Sign-out",
      "Sign-out",
      "User updated",
      "Account linked",
    ]);
    expect(slack.messages[7]?.blocks?.[1]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Name*\nAlice Liddell" },
        { type: "mrkdwn", text: "*Email*\nalice@example.test" },
        { type: "mrkdwn", text: "*Provider*\ngithub" },
        { type: "mrkdwn", text: "*User ID*\nuser_alice" },
      ],
    });
    expect(slack.messages[6]?.blocks?.[1]).toMatchObject({
      fields: [
        { text: "*Name*\nNemo Private" },
        { text: "*Email*\n_none_" },
        { text: "*User ID*\nuser_noemail" },
      ],
    });
  });

  it("never sends an OAuth token from the event to Slack", async () => {
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      on: ["signIn", "linkAccount"],
    });
    const signIn = events.signInOAuth();
    const link = events.linkAccount();
    await dispatch(recipe, "signIn", signIn);
    await dispatch(recipe, "linkAccount", link);
    expect(slack.messages).toHaveLength(2);
    const received = slack.requests.map((request) => request.body).join("\n");
    const secrets = secretsOf(signIn, link);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(received).not.toContain(secret);
  });

  it("leaves the email address out everywhere with includeEmail: false", async () => {
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      includeEmail: false,
      on: ["createUser", "signIn"],
    });
    await dispatch(recipe, "createUser", events.createUser());
    await dispatch(recipe, "signIn", events.signInEmail(users.noName));
    expect(slack.messages.map((message) => message.text)).toEqual([
      "New sign-up: Alice Liddell",
      "user user_noname signed in with email",
    ]);
    const received = decodeURIComponent(slack.requests.map((request) => request.body).join("\n"));
    expect(received).not.toContain("@example.test");
    expect(received).not.toContain("*Email*");
  });

  it("skips a sign-out that names nobody, and posts nothing", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups", on: ["signOut"] });
    const { errors, report } = await dispatch(recipe, "signOut", { session: null });
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({
      status: "skipped",
      reason: "no user in the signOut message",
    });
    expect(slack.requests).toEqual([]);
  });
});

describe("slackNotify: a custom message", () => {
  it("posts what the message function returns, given the event and next-auth's message", async () => {
    const seen: unknown[] = [];
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      on: ["createUser", "signIn"],
      message: async (input) => {
        seen.push(input);
        return {
          text: `${input.event}: ${input.message.user.id}`,
          blocks: [{ type: "section", text: { type: "plain_text", text: "custom" } }],
        };
      },
    });
    const message = events.createUser();
    await dispatch(recipe, "createUser", message);
    expect(seen).toEqual([{ event: "createUser", message }]);
    expect(slack.messages).toMatchObject([
      {
        text: "createUser: user_alice",
        blocks: [{ type: "section", text: { type: "plain_text", text: "custom" } }],
      },
    ]);
  });

  it("posts text alone when the function returns no blocks", async () => {
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      message: () => ({ text: "plain" }),
    });
    await dispatch(recipe, "createUser", events.createUser());
    expect(slack.messages).toMatchObject([{ text: "plain", blocks: undefined }]);
    expect(slack.requests[0]?.body).not.toContain("blocks");
  });

  it("posts nothing when the function returns skip(reason)", async () => {
    const { skip } = await import("@auth-recipes/core");
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      on: ["signIn"],
      message: (input) =>
        input.event === "signIn" && !input.message.isNewUser
          ? skip("not a sign-up")
          : { text: "new" },
    });
    const { report } = await dispatch(recipe, "signIn", events.signInEmail());
    expect(report.results[0]).toMatchObject({ status: "skipped", reason: "not a sign-up" });
    expect(slack.requests).toEqual([]);
  });

  it("reports a function that returns no text once, without a retry", async () => {
    const recipe = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      message: () => ({ text: " " }),
    });
    const { errors } = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 3, minDelayMs: 1 },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.attempts).toBe(1);
    expect(errors[0]?.message).toMatch(/option "message" must return \{ text, blocks\? \}/);
    expect(slack.requests).toEqual([]);
  });
});

describe("slackNotify: hostile users", () => {
  it.each(Object.entries(hostileUsers))(
    "posts %s with nothing pinged or linked",
    async (_, user) => {
      const recipe = slackNotify({
        client: webClient(slack),
        channel: "#signups",
        on: ["createUser", "signIn"],
      });
      const created = await dispatch(recipe, "createUser", events.createUser(user));
      const signedIn = await dispatch(recipe, "signIn", events.signInOAuth(user));
      // Slack accepted both: nothing was too long or malformed for Block Kit.
      expect([...created.errors, ...signedIn.errors]).toEqual([]);
      expect(slack.messages).toHaveLength(2);
      for (const message of slack.messages) {
        expect(message.mentions).toEqual([]);
        expect(message.links).toEqual([]);
        const texts = [message.text, ...JSON.stringify(message.blocks).split("\\n")];
        for (const text of texts) expect(text).not.toMatch(/[\r\u2028\u202E]/);
      }
    },
  );

  it("shows mention markup as text: escaped in mrkdwn, so Slack renders it literally", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    await dispatch(recipe, "createUser", events.createUser(hostileUsers.slackChannelMention));
    const [message] = slack.messages;
    expect(message?.text).toBe(
      "New sign-up: &lt;!channel&gt; everyone look (channel@example.test)",
    );
    expect(nameOf(message!)).toBe("&lt;!channel&gt; everyone look");
    expect(message?.mentions).toEqual([]);
  });

  it("keeps a line break in a name from drawing a field of its own", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    await dispatch(recipe, "createUser", events.createUser(hostileUsers.crlfName));
    expect(nameOf(slack.messages[0]!)).toBe("Eve Bcc: attacker@evil.example.test Injected body");
  });

  it("cuts a 10,000-character name to 100 characters, whole emoji included", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    await dispatch(recipe, "createUser", events.createUser(hostileUsers.longName));
    await dispatch(
      recipe,
      "createUser",
      events.createUser({ ...users.alice, name: "🎉".repeat(150) }),
    );
    const names = slack.messages.map((message) => nameOf(message));
    expect(Array.from(names[0]!)).toHaveLength(100);
    expect(names[0]).toBe(`${"Ada ".repeat(25).slice(0, 99)}…`);
    expect(names[1]).toBe(`${"🎉".repeat(99)}…`);
  });
});

describe("slackNotify: names and addresses, as the other recipes read them", () => {
  it("cuts a name of family emoji on grapheme clusters: each family stays whole", async () => {
    const family = "👨‍👩‍👧‍👦";
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    await dispatch(
      recipe,
      "createUser",
      events.createUser({ ...users.alice, name: family.repeat(150) }),
    );
    expect(nameOf(slack.messages[0]!)).toBe(`${family.repeat(99)}…`);
  });

  it("shows no email address with invisible or bidi characters in it", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    for (const email of ["ali\u200Bce@example.test", "alice@exam\u202Eple.test"]) {
      await dispatch(recipe, "createUser", events.createUser({ ...users.alice, email }));
    }
    for (const message of slack.messages) {
      expect(JSON.stringify(message)).not.toContain("example.test");
    }
    expect(slack.messages).toHaveLength(2);
  });
});

describe("slackNotify: failures", () => {
  it("reports channel_not_found once and does not retry it, even with retry on", async () => {
    const recipe = slackNotify({ client: webClient(slack), channel: "#nowhere" });
    const { errors, report } = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1 },
    });
    expect(slack.requests).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 1 });
    expect(errors[0]).toMatchObject({ recipe: "slack", event: "createUser", attempts: 1 });
    expect(cause(errors[0])).toMatchObject({
      name: "SlackNotifyError",
      kind: "platform",
      retryable: false,
      slackError: "channel_not_found",
    });
    expect(isRetryable(cause(errors[0]))).toBe(false);
    expect(errors[0]?.message).toBe(
      'recipe "slack" failed on createUser after 1 attempt: [auth-recipes/slack] chat.postMessage failed: Slack answered channel_not_found (check the channel; a private channel needs the app invited)',
    );
  });

  it("reports not_in_channel and invalid_auth as not retryable, without the token", async () => {
    const bad = "xoxb-1234-wrong-secret-token";
    const recipes = [
      slackNotify({ client: webClient(slack, {}, bad), channel: "#signups" }),
      slackNotify({ client: webClient(slack), channel: "#elsewhere" }),
    ];
    slack.channels.push({ id: "C0ELSEWHERE", name: "elsewhere", member: false });
    try {
      const [auth, member] = [
        await dispatch(recipes[0]!, "createUser", events.createUser(), {
          retry: { retries: 2, minDelayMs: 1 },
        }),
        await dispatch(recipes[1]!, "createUser", events.createUser(), {
          retry: { retries: 2, minDelayMs: 1 },
        }),
      ];
      expect(cause(auth.errors[0])).toMatchObject({ slackError: "invalid_auth", retryable: false });
      expect(cause(member.errors[0])).toMatchObject({
        slackError: "not_in_channel",
        retryable: false,
      });
      expect(slack.requests).toHaveLength(2);
      for (const error of [...auth.errors, ...member.errors]) {
        for (const text of [error.message, cause(error).message]) {
          expect(text).not.toContain(bad);
          expect(text).not.toContain(slack.token);
          expect(text).not.toContain("alice@example.test");
        }
      }
    } finally {
      slack.channels.pop();
    }
  });

  it("retries a 500 when retry is on, and posts once", async () => {
    slack.fail({ times: 1, status: 500 });
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    const { errors, report } = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    expect(errors).toEqual([]);
    expect(report.results[0]).toMatchObject({ status: "fulfilled", attempts: 2 });
    expect(slack.requests).toHaveLength(2);
    expect(slack.messages).toHaveLength(1);
  });

  it("marks 5xx retryable and reports it once retries are spent", async () => {
    slack.fail({ times: 5, status: 503 });
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    const { errors } = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    expect(slack.requests).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.attempts).toBe(2);
    expect(cause(errors[0])).toMatchObject({ kind: "http", statusCode: 503, retryable: true });
    expect(cause(errors[0]).message).toBe(
      "[auth-recipes/slack] chat.postMessage failed: Slack answered HTTP 503",
    );
  });

  it("does not retry a 4xx other than 429", async () => {
    slack.fail({ times: 1, status: 400 });
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    const { errors } = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 2, minDelayMs: 1 },
    });
    expect(cause(errors[0])).toMatchObject({ kind: "http", statusCode: 400, retryable: false });
    expect(slack.requests).toHaveLength(1);
  });

  it("marks a rate limit retryable: rejected by the client, with Retry-After", async () => {
    slack.fail({
      times: 1,
      status: 429,
      headers: { "Retry-After": "30" },
      body: { ok: false, error: "ratelimited" },
    });
    const client = webClient(slack, { rejectRateLimitedCalls: true });
    const { errors } = await dispatch(
      slackNotify({ client, channel: "#signups" }),
      "createUser",
      events.createUser(),
    );
    expect(cause(errors[0])).toMatchObject({
      kind: "rate_limited",
      retryable: true,
      retryAfter: 30,
      retryAfterMs: 30_000,
      statusCode: 429,
    });
    expect(cause(errors[0]).message).toBe(
      "[auth-recipes/slack] chat.postMessage was rate-limited by Slack (retry after 30 s)",
    );
  });

  it("marks a rate limit retryable: waited out by the client, then retried by core", async () => {
    slack.fail({ times: 1, status: 429, headers: { "Retry-After": "0" } });
    const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
    const failed = await dispatch(recipe, "createUser", events.createUser());
    expect(cause(failed.errors[0])).toMatchObject({
      kind: "rate_limited",
      retryable: true,
      retryAfter: 0,
      retryAfterMs: 0,
    });
    slack.reset();
    slack.fail({ times: 1, status: 429, headers: { "Retry-After": "0" } });
    const retried = await dispatch(recipe, "createUser", events.createUser(), {
      retry: { retries: 1, minDelayMs: 1 },
    });
    expect(retried.errors).toEqual([]);
    expect(slack.requests).toHaveLength(2);
    expect(slack.messages).toHaveLength(1);
  });

  it("marks a 429 without Retry-After retryable, though the client gives up on it at once", async () => {
    slack.fail({ times: 1, status: 429 });
    const client = webClient(slack, { retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 0 } });
    const { errors } = await dispatch(
      slackNotify({ client, channel: "#signups" }),
      "createUser",
      events.createUser(),
    );
    expect(slack.requests).toHaveLength(1);
    expect(cause(errors[0])).toMatchObject({
      kind: "rate_limited",
      retryable: true,
      statusCode: 429,
    });
    expect(cause(errors[0])).not.toHaveProperty("retryAfter");
    expect(cause(errors[0])).not.toHaveProperty("retryAfterMs");
    expect(cause(errors[0]).message).toBe(
      "[auth-recipes/slack] chat.postMessage was rate-limited by Slack",
    );
  });

  it("marks a refused connection retryable", async () => {
    await slack.down();
    try {
      const recipe = slackNotify({ client: webClient(slack), channel: "#signups" });
      const { errors } = await dispatch(recipe, "createUser", events.createUser());
      expect(cause(errors[0])).toMatchObject({ kind: "network", retryable: true });
      // A pooled keep-alive socket closed by down() shows as UND_ERR_SOCKET on the first request.
      expect(cause(errors[0]).message).toMatch(
        /^\[auth-recipes\/slack\] chat\.postMessage could not reach Slack \((ECONNREFUSED|UND_ERR_SOCKET)\)$/,
      );
    } finally {
      await slack.up();
    }
  });

  it("settles within core's timeout when Slack hangs, though the client has none", async () => {
    slack.hang();
    const client = webClient(slack, { timeout: 0 });
    const started = performance.now();
    const { errors } = await dispatch(
      slackNotify({ client, channel: "#signups" }),
      "createUser",
      events.createUser(),
      {
        timeoutMs: 200,
      },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(errors[0]).toMatchObject({ timedOut: true, attempts: 1 });
    expect(slack.requests).toHaveLength(1);
  });

  it("ends the request itself with the client's timeout, marked retryable", async () => {
    slack.hang();
    const client = webClient(slack, { timeout: 100 });
    const { errors } = await dispatch(
      slackNotify({ client, channel: "#signups" }),
      "createUser",
      events.createUser(),
      {
        timeoutMs: 2000,
      },
    );
    expect(errors[0]).toMatchObject({ timedOut: false });
    expect(cause(errors[0])).toMatchObject({ kind: "timeout", retryable: true });
    expect(cause(errors[0]).message).toBe(
      "[auth-recipes/slack] chat.postMessage timed out (the WebClient's timeout)",
    );
  });

  it("cuts the token out of an error message that quotes it", async () => {
    const token = "xoxb-9999-leaky-token";
    // A fetch that fails quoting the request's Authorization header, as some proxies' errors do.
    const client = webClient(
      slack,
      {
        fetch: async (_url, init) => {
          throw new Error(`proxy refused ${new Headers(init?.headers).get("authorization")}`);
        },
      },
      token,
    );
    const { errors } = await dispatch(
      slackNotify({ client, channel: "#signups" }),
      "createUser",
      events.createUser(),
    );
    expect(cause(errors[0]).message).toBe(
      "[auth-recipes/slack] chat.postMessage could not reach Slack: proxy refused Bearer [redacted]",
    );
    expect(errors[0]?.message).not.toContain(token);
  });
});

describe("timeoutMs and retry, taken as every recipe takes them", () => {
  it("bound and retry this recipe's attempts, over composeEvents' defaults", async () => {
    const r = slackNotify({
      client: webClient(slack),
      channel: "#signups",
      timeoutMs: 150,
      retry: { retries: 1, minDelayMs: 0 },
    });
    expect(r).toMatchObject({ timeoutMs: 150, retry: { retries: 1, minDelayMs: 0 } });
    slack.hang();
    const started = performance.now();
    const { errors, report } = await dispatch(r, "createUser", events.createUser());
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.results[0]).toMatchObject({ status: "rejected", attempts: 2 });
    expect(errors[0]?.timedOut).toBe(true);
  });

  it("are left to composeEvents when not given", () => {
    const r = slackNotify({ client: webClient(slack), channel: "#signups" });
    expect(r).not.toHaveProperty("timeoutMs");
    expect(r).not.toHaveProperty("retry");
  });
});
