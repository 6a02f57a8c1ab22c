import type { Recipe, Skip } from "@auth-recipes/core";
import { WebClient } from "@slack/web-api";
import { describe, expectTypeOf, it } from "vitest";
import { type SlackEventInput, type SlackNotifyOptions, slackNotify } from "../src/index.ts";

const client = new WebClient("xoxb-types");

describe("slackNotify types", () => {
  it("returns a Recipe and requires client and channel", () => {
    expectTypeOf(slackNotify({ client, channel: "#signups" })).toEqualTypeOf<Recipe>();
    // @ts-expect-error channel is required
    slackNotify({ client });
    // @ts-expect-error client is required
    slackNotify({ channel: "#signups" });
  });

  it("accepts the announceable events in `on`, never session", () => {
    slackNotify({
      client,
      channel: "#s",
      on: ["signIn", "signOut", "createUser", "updateUser", "linkAccount"],
    });
    // @ts-expect-error session fires on every session read
    slackNotify({ client, channel: "#s", on: ["session"] });
    // @ts-expect-error a typo
    slackNotify({ client, channel: "#s", on: ["createdUser"] });
  });

  it("narrows the message function's input to the events in `on`", () => {
    slackNotify({
      client,
      channel: "#s",
      on: ["signIn", "linkAccount"],
      message: (input) => {
        expectTypeOf(input.event).toEqualTypeOf<"signIn" | "linkAccount">();
        if (input.event === "signIn")
          expectTypeOf(input.message.isNewUser).toEqualTypeOf<boolean | undefined>();
        else expectTypeOf(input.message.account.provider).toBeString();
        return { text: input.message.user.id ?? "someone" };
      },
    });
  });

  it("takes text with optional Block Kit blocks, or a skip", () => {
    type Returned = ReturnType<NonNullable<SlackNotifyOptions["message"]>>;
    expectTypeOf<{ text: string }>().toExtend<Returned>();
    expectTypeOf<Skip>().toExtend<Returned>();
    expectTypeOf<Promise<{ text: string }>>().toExtend<Returned>();
    expectTypeOf<{ blocks: [] }>().not.toExtend<Returned>();
    slackNotify({
      client,
      channel: "#s",
      message: () => ({ text: "x", blocks: [{ type: "divider" }] }),
    });
    slackNotify({
      client,
      channel: "#s",
      // @ts-expect-error not a Block Kit block
      message: () => ({ text: "x", blocks: [{ type: "nonsense" }] }),
    });
  });

  it("unions every event's input by default", () => {
    expectTypeOf<SlackEventInput["event"]>().toEqualTypeOf<
      "signIn" | "signOut" | "createUser" | "updateUser" | "linkAccount"
    >();
  });
});
