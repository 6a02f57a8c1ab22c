import {
  ErrorCode,
  LogLevel,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackApi } from "../src/index.ts";

// The client's default policy retries for about 30 minutes: every test bounds retries and time.
function client(emulator: SlackEmulator, options: WebClientOptions = {}, token = emulator.token) {
  return new WebClient(token, {
    ...emulator.clientOptions,
    retryConfig: { retries: 0 },
    timeout: 2000,
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

/** What the client rejected with, for assertions on Slack's error shapes. */
async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

const blocks = [
  { type: "header", text: { type: "plain_text", text: "New sign-up" } },
  { type: "section", text: { type: "mrkdwn", text: "*Alice* signed up" } },
  { type: "context", elements: [{ type: "mrkdwn", text: "via GitHub" }] },
];

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackApi({
    channels: [
      { id: "C0SIGNUPS", name: "signups" },
      { id: "C0ELSEWHERE", name: "elsewhere", member: false },
      { id: "C0OLD", name: "old", archived: true },
    ],
  });
});
afterAll(() => slack.close());
afterEach(() => slack.reset());

describe("startSlackApi: chat.postMessage", () => {
  it("records a form-encoded message from the real WebClient, with its blocks parsed", async () => {
    const result = await client(slack).chat.postMessage({
      channel: "#signups",
      text: "Alice signed up",
      blocks,
    });
    expect(result).toMatchObject({ ok: true, channel: "C0SIGNUPS" });
    expect(slack.requests[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(slack.requests[0]?.body).toContain("blocks=%5B%7B"); // a JSON string in a form field
    expect(slack.messages).toHaveLength(1);
    const [message] = slack.messages;
    expect(message).toMatchObject({
      channel: "C0SIGNUPS",
      channelName: "signups",
      ts: result.ts,
      text: "Alice signed up",
      blocks,
      encoding: "form",
      mentions: [],
      links: [],
    });
    expect(message?.params).not.toHaveProperty("token");
    expect(slack.channel("#signups")).toEqual([message]);
    expect(slack.channel("signups")).toEqual([message]);
    expect(slack.channel("C0SIGNUPS")).toEqual([message]);
    expect(slack.channel("#random")).toEqual([]);
  });

  it("accepts a JSON body with the token in the header", async () => {
    const response = await fetch(`${slack.clientOptions.slackApiUrl}chat.postMessage`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${slack.token}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify({ channel: "C0SIGNUPS", text: "from JSON", blocks }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: "C0SIGNUPS" });
    expect(slack.channel("#signups")).toMatchObject([
      { text: "from JSON", blocks, encoding: "json" },
    ]);
  });

  it("accepts the token as a form field, and numbers messages' ts in order", async () => {
    const post = (text: string) =>
      fetch(`${slack.url}/api/chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: slack.token, channel: "signups", text }).toString(),
      }).then((response) => response.json() as Promise<{ ok: boolean; ts: string }>);
    const first = await post("one");
    const second = await post("two");
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(slack.messages.map((message) => message.text)).toEqual(["one", "two"]);
  });

  it("answers a bad token with invalid_auth and a missing one with not_authed, as HTTP 200", async () => {
    const bad = await failure(
      client(slack, {}, "xoxb-wrong").chat.postMessage({ channel: "#signups", text: "x" }),
    );
    expect(bad).toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: "invalid_auth" },
    });
    const missing = await failure(
      client(slack, {}, "").chat.postMessage({ channel: "#signups", text: "x" }),
    );
    expect(missing).toMatchObject({ data: { ok: false, error: "not_authed" } });
    const raw = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { authorization: "Bearer nope", "content-type": "application/json" },
      body: JSON.stringify({ channel: "#signups", text: "x" }),
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ ok: false, error: "invalid_auth" });
    expect(slack.requests).toHaveLength(3);
    expect(slack.messages).toEqual([]);
  });

  it("refuses a token in a JSON body, as Slack does", async () => {
    const response = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: slack.token, channel: "#signups", text: "x" }),
    });
    expect(await response.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it.each([
    ["#random", "channel_not_found"],
    ["C0NOPE", "channel_not_found"],
    ["#elsewhere", "not_in_channel"],
    ["#old", "is_archived"],
  ])("answers a post to %s with %s", async (channel, error) => {
    const thrown = await failure(client(slack).chat.postMessage({ channel, text: "x" }));
    expect(thrown).toMatchObject({
      code: ErrorCode.PlatformError,
      message: `An API error occurred: ${error}`,
      data: { ok: false, error },
    });
    expect(slack.messages).toEqual([]);
  });

  it("answers no_text, msg_too_long and invalid_blocks where Slack would", async () => {
    const api = client(slack);
    expect(await failure(api.chat.postMessage({ channel: "#signups" } as never))).toMatchObject({
      data: { error: "no_text" },
    });
    expect(
      await failure(api.chat.postMessage({ channel: "#signups", text: "x".repeat(40_001) })),
    ).toMatchObject({ data: { error: "msg_too_long" } });
    const tooLong = await failure(
      api.chat.postMessage({
        channel: "#signups",
        text: "x",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
          { type: "section", text: { type: "mrkdwn", text: "s".repeat(3001) } },
          { type: "section", text: { type: "mrkdwn", text: "" } },
          { type: "header", text: { type: "mrkdwn", text: "not plain" } } as never,
        ],
      }),
    );
    expect(tooLong).toMatchObject({ data: { error: "invalid_blocks" } });
    expect((tooLong.data as { errors: string[] }).errors).toEqual([
      "must be less than 151 characters [/blocks/0/text/text]",
      "must be less than 3001 characters [/blocks/1/text/text]",
      "must be more than 0 characters [/blocks/2/text/text]",
      "must be a plain_text text object [/blocks/3/text]",
    ]);
    // Emoji count as one character each, as Slack counts them.
    await api.chat.postMessage({
      channel: "#signups",
      text: "x",
      blocks: [{ type: "header", text: { type: "plain_text", text: "🎉".repeat(150) } }],
    });
    const raw = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: slack.token,
        channel: "#signups",
        blocks: "[{",
      }).toString(),
    });
    expect(await raw.json()).toEqual({ ok: false, error: "invalid_blocks_format" });
    expect(slack.messages).toHaveLength(1);
  });
});

describe("startSlackApi: mentions", () => {
  it("lists the special mentions and links that mrkdwn text would render", async () => {
    await client(slack).chat.postMessage({
      channel: "#signups",
      text: "<!channel> hello <@U123|bob>",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "<!here> <http://evil.test|click>" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "<!subteam^S1> <!everyone>" }] },
      ],
    });
    expect(slack.messages[0]?.mentions).toEqual([
      "<!channel>",
      "<@U123|bob>",
      "<!here>",
      "<!subteam^S1>",
      "<!everyone>",
    ]);
    expect(slack.messages[0]?.links).toEqual(["http://evil.test"]);
  });

  it("finds none in escaped text, in plain_text objects or with mrkdwn off", async () => {
    const api = client(slack);
    await api.chat.postMessage({
      channel: "#signups",
      text: "&lt;!channel&gt; &lt;@U123&gt; @here",
      blocks: [
        { type: "section", text: { type: "plain_text", text: "<!channel> <http://evil.test|x>" } },
        { type: "section", fields: [{ type: "mrkdwn", text: "&lt;!here&gt;" }] },
      ],
    });
    await api.chat.postMessage({ channel: "#signups", text: "<!channel>", mrkdwn: false });
    expect(slack.messages.map((message) => [message.mentions, message.links])).toEqual([
      [[], []],
      [[], []],
    ]);
  });

  it("finds bare @mentions with link_names, and rich text broadcasts", async () => {
    const api = client(slack);
    await api.chat.postMessage({
      channel: "#signups",
      text: "hi @here and @channel, mail alice@example.test",
      link_names: true,
    });
    await api.chat.postMessage({
      channel: "#signups",
      text: "x",
      blocks: [
        {
          type: "rich_text",
          elements: [
            {
              type: "rich_text_section",
              elements: [
                { type: "broadcast", range: "channel" },
                { type: "user", user_id: "U123" },
              ],
            },
          ],
        },
      ],
    });
    expect(slack.messages[0]?.mentions).toEqual(["@here", "@channel"]);
    expect(slack.messages[1]?.mentions).toEqual(["<!channel>", "<@U123>"]);
  });
});

describe("startSlackApi: other methods", () => {
  it("answers auth.test with the workspace and bot, and unknown methods with unknown_method", async () => {
    const api = client(slack);
    expect(await api.auth.test()).toMatchObject({
      ok: true,
      team_id: "T0EMULATED",
      bot_id: "B0EMULATED",
    });
    expect(await failure(client(slack, {}, "bad").auth.test())).toMatchObject({
      data: { error: "invalid_auth" },
    });
    expect(await failure(api.apiCall("conversations.list"))).toMatchObject({
      data: { error: "unknown_method" },
    });
    const notApi = await fetch(`${slack.url}/elsewhere`);
    expect(notApi.status).toBe(404);
  });
});

describe("startSlackApi: faults", () => {
  it("fails with a 500 that the client retries per its retryConfig, then records once", async () => {
    slack.fail({ times: 1, status: 500 });
    const api = client(slack, { retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 } });
    await api.chat.postMessage({ channel: "#signups", text: "after a 500" });
    expect(slack.requests).toHaveLength(2);
    expect(slack.messages.map((message) => message.text)).toEqual(["after a 500"]);
  });

  it("reports a 500 as an HTTP error once retries are spent", async () => {
    slack.fail({ times: 2, status: 503 });
    const thrown = await failure(
      client(slack).chat.postMessage({ channel: "#signups", text: "x" }),
    );
    expect(thrown).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    expect(slack.requests).toHaveLength(1);
    expect(slack.messages).toEqual([]);
  });

  it("rate-limits with 429 and Retry-After: rejected at once with rejectRateLimitedCalls", async () => {
    slack.fail({
      times: 1,
      status: 429,
      headers: { "Retry-After": "7" },
      body: { ok: false, error: "ratelimited" },
    });
    const api = client(slack, { rejectRateLimitedCalls: true });
    const thrown = await failure(api.chat.postMessage({ channel: "#signups", text: "x" }));
    expect(thrown).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(slack.requests).toHaveLength(1);
  });

  it("rate-limits with 429 and Retry-After: waited out and retried by default", async () => {
    slack.fail({ times: 1, status: 429, headers: { "Retry-After": "0" } });
    const api = client(slack, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const limited = new Promise((resolve) => api.once(WebClientEvent.RATE_LIMITED, resolve));
    await api.chat.postMessage({ channel: "#signups", text: "after a 429" });
    expect(await limited).toBe(0);
    expect(slack.requests).toHaveLength(2);
    expect(slack.messages).toHaveLength(1);
  });

  it("delays answers", async () => {
    slack.delay(150);
    const started = performance.now();
    await client(slack).chat.postMessage({ channel: "#signups", text: "slow" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(slack.messages).toHaveLength(1);
  });

  it("hangs: the request arrives and is never answered, so only the client's timeout ends it", async () => {
    slack.hang();
    const started = performance.now();
    const thrown = await failure(
      client(slack, { timeout: 200 }).chat.postMessage({ channel: "#signups", text: "x" }),
    );
    expect(performance.now() - started).toBeLessThan(1500);
    expect(thrown).toMatchObject({ code: ErrorCode.RequestError });
    expect((thrown.original as Error).name).toBe("TimeoutError");
    expect(slack.requests).toHaveLength(1);
    expect(slack.messages).toEqual([]);
  });

  it("goes down (connection refused) and comes back up on the same port", async () => {
    const { port } = slack;
    await client(slack).chat.postMessage({ channel: "#signups", text: "before" });
    await slack.down();
    try {
      const api = client(slack);
      // The first call can meet the pooled keep-alive socket that down() just closed (UND_ERR_SOCKET);
      // the next one finds nobody listening.
      const first = await failure(api.chat.postMessage({ channel: "#signups", text: "x" }));
      expect(first).toMatchObject({ code: ErrorCode.RequestError });
      const thrown = await failure(api.chat.postMessage({ channel: "#signups", text: "x" }));
      expect(((thrown.original as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
      expect(slack.requests).toHaveLength(1);
    } finally {
      await slack.up();
    }
    expect(slack.port).toBe(port);
    await client(slack).chat.postMessage({ channel: "#signups", text: "back" });
    expect(slack.channel("#signups").map((message) => message.text)).toEqual(["before", "back"]);
  });

  it("reset forgets messages and requests and clears faults", async () => {
    await client(slack).chat.postMessage({ channel: "#signups", text: "x" });
    slack.fail({ times: 5 });
    slack.reset();
    expect(slack.messages).toEqual([]);
    expect(slack.requests).toEqual([]);
    await client(slack).chat.postMessage({ channel: "#signups", text: "y" });
    expect(slack.messages).toHaveLength(1);
  });
});

describe("startSlackApi: lifecycle", () => {
  it("uses the default token and #signups channel, and closes at once with a hung request open", async () => {
    const other = await startSlackApi();
    expect(other.channels).toEqual([{ id: "C0SIGNUPS", name: "signups" }]);
    expect(other.clientOptions).toEqual({ slackApiUrl: `http://127.0.0.1:${other.port}/api/` });
    await client(other).chat.postMessage({ channel: "C0SIGNUPS", text: "x" });
    expect(other.channel("#signups")).toHaveLength(1);
    other.hang();
    const pending = client(other, { timeout: 0 })
      .chat.postMessage({ channel: "#signups", text: "y" })
      .catch((error: unknown) => error);
    await expect.poll(() => other.requests.length).toBe(2);
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toMatchObject({ code: ErrorCode.RequestError });
  });

  it("takes its own token", async () => {
    const other = await startSlackApi({ token: "xoxb-custom" });
    try {
      expect(other.token).toBe("xoxb-custom");
      expect(await failure(client(other, {}, slack.token).auth.test())).toMatchObject({
        data: { error: "invalid_auth" },
      });
      expect(await client(other).auth.test()).toMatchObject({ ok: true });
    } finally {
      await other.close();
    }
  });
});
