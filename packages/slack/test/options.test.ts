import { composeEvents } from "@auth-recipes/core";
import { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { SLACK_EVENTS, slackNotify } from "../src/index.ts";

// Never called: configuration errors throw before any request.
const client = new WebClient("xoxb-never-used", { slackApiUrl: "http://127.0.0.1:9/api/" });

describe("slackNotify options", () => {
  it("makes a recipe named slack that announces createUser by default", () => {
    const recipe = slackNotify({ client, channel: "#signups" });
    expect(recipe.name).toBe("slack");
    expect(Object.keys(recipe.events)).toEqual(["createUser"]);
    expect(typeof recipe.events.createUser).toBe("function");
    expect(Object.keys(composeEvents([recipe]))).toEqual(["createUser"]);
  });

  it("handles exactly the events named in `on`, once each", () => {
    const recipe = slackNotify({
      client,
      channel: "#signups",
      on: ["signIn", "linkAccount", "signIn"],
    });
    expect(Object.keys(recipe.events)).toEqual(["signIn", "linkAccount"]);
    expect(Object.keys(slackNotify({ client, channel: "C1", on: SLACK_EVENTS }).events)).toEqual([
      "signIn",
      "signOut",
      "createUser",
      "updateUser",
      "linkAccount",
    ]);
  });

  it.each([
    [{ channel: "#signups" }, '[auth-recipes/slack] option "client" is required'],
    [{ client: null, channel: "#signups" }, /option "client" is required/],
    [
      { client: {}, channel: "#signups" },
      '[auth-recipes/slack] option "client" must be a WebClient from @slack/web-api',
    ],
    [{ client: "xoxb-token", channel: "#signups" }, /option "client" must be a WebClient/],
    [{ client }, '[auth-recipes/slack] option "channel" is required'],
    [{ client, channel: "" }, /option "channel" is required/],
    [{ client, channel: 42 }, /option "channel" must be a channel id or name/],
    [{ client, channel: "  " }, /option "channel" must be a channel id or name/],
  ])("refuses %o with a TypeError", (options, message) => {
    expect(() => slackNotify(options as never)).toThrowError(TypeError);
    expect(() => slackNotify(options as never)).toThrowError(message);
  });

  it("refuses a missing options object", () => {
    expect(() => slackNotify(undefined as never)).toThrowError(
      new TypeError("[auth-recipes/slack] options must be an object: { client, channel }"),
    );
  });

  it("refuses session in `on`, saying why", () => {
    expect(() =>
      slackNotify({ client, channel: "#signups", on: ["createUser", "session" as never] }),
    ).toThrowError(
      new TypeError(
        '[auth-recipes/slack] option "on" cannot include "session": it fires on every session read, so it would post a message per page view',
      ),
    );
  });

  it("refuses an unknown event name, listing the known ones", () => {
    expect(() =>
      slackNotify({ client, channel: "#signups", on: ["createdUser" as never] }),
    ).toThrowError(
      new TypeError(
        '[auth-recipes/slack] option "on" has an unknown event "createdUser"; the events are signIn, signOut, createUser, updateUser, linkAccount',
      ),
    );
  });

  it("refuses a key that is no option, so a typo or an old name is not silently ignored", () => {
    expect(() =>
      slackNotify({ client, channel: "#signups", events: ["signIn"] } as never),
    ).toThrowError(
      new TypeError(
        '[auth-recipes/slack] option "events" is not an option of slackNotify; the options are client, channel, on, message, includeEmail, timeoutMs, retry',
      ),
    );
  });

  it.each([[[]], ["createUser"], [null]])("refuses `on` = %o", (on) => {
    expect(() => slackNotify({ client, channel: "#signups", on: on as never })).toThrowError(
      /option "on" must list at least one of signIn, signOut, createUser, updateUser, linkAccount/,
    );
  });

  it("refuses a message that is not a function and an includeEmail that is not a boolean", () => {
    expect(() => slackNotify({ client, channel: "#signups", message: "hi" as never })).toThrowError(
      new TypeError('[auth-recipes/slack] option "message" must be a function'),
    );
    expect(() =>
      slackNotify({ client, channel: "#signups", includeEmail: "no" as never }),
    ).toThrowError(new TypeError('[auth-recipes/slack] option "includeEmail" must be a boolean'));
  });

  it("never quotes the token in a configuration error", () => {
    const secret = "xoxb-config-secret";
    for (const options of [
      { client: secret, channel: "#s" },
      { client: new WebClient(secret), channel: secret.length },
    ]) {
      expect(() => slackNotify(options as never)).toThrowError(/^(?!.*xoxb-config-secret)/s);
    }
  });
});
