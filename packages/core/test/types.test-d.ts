import type { AuthConfig } from "@auth/core";
import type { Account, EventCallbacks, NextAuthOptions, Profile, User } from "next-auth";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AuthAccount,
  type AuthSession,
  type AuthToken,
  type AuthUser,
  composeEvents,
  defineRecipe,
  type HandlerContext,
  type Recipe,
  type RecipeError,
  skip,
} from "../src/index.ts";
import {
  type AttemptOutcome,
  type Route,
  type RouteTable,
  resolveRoutes,
  runAttempt,
  UpstreamError,
} from "../src/kit/index.ts";

const recipe = defineRecipe({
  name: "typed",
  events: {
    createUser: ({ user }, context) => {
      expectTypeOf(user).toEqualTypeOf<AuthUser>();
      expectTypeOf(user.email).toEqualTypeOf<string | null | undefined>();
      expectTypeOf(context).toEqualTypeOf<HandlerContext<"createUser">>();
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(context.deadline).toEqualTypeOf<number>();
      expectTypeOf(context.dispatchId).toEqualTypeOf<string>();
      if (!user.email) return skip("no email address");
    },
    signIn: async ({ user, account, isNewUser, profile }) => {
      expectTypeOf(user).toEqualTypeOf<AuthUser>();
      expectTypeOf(account).toEqualTypeOf<AuthAccount | null | undefined>();
      expectTypeOf(isNewUser).toEqualTypeOf<boolean | undefined>();
      expectTypeOf(profile?.email).toEqualTypeOf<string | null | undefined>();
    },
    signOut: (message) => {
      if ("token" in message) expectTypeOf(message.token).toEqualTypeOf<AuthToken | null>();
      else expectTypeOf(message.session).toEqualTypeOf<AuthSession | null | undefined | void>();
    },
    linkAccount: ({ account }) => {
      expectTypeOf(account.provider).toEqualTypeOf<string>();
    },
  },
});

describe("composeEvents types", () => {
  const events = composeEvents([recipe, { signIn: () => {} }, false, undefined]);

  it("fits next-auth v4's events option", () => {
    expectTypeOf(events).toExtend<NonNullable<NextAuthOptions["events"]>>();
    const options: NextAuthOptions = { providers: [], events };
    expectTypeOf(options.events).not.toBeAny();
  });

  it("fits Auth.js v5's events option", () => {
    expectTypeOf(events).toExtend<NonNullable<AuthConfig["events"]>>();
    const config: AuthConfig = { providers: [], events };
    expectTypeOf(config.events).not.toBeAny();
  });

  it("accepts a plain v4 events object typed with next-auth's own types", () => {
    const plain: Partial<EventCallbacks> = {
      signIn: async (message: {
        user: User;
        account: Account | null;
        profile?: Profile;
        isNewUser?: boolean;
      }) => {
        void message.user.id;
      },
    };
    composeEvents([plain]);
    const v5: AuthConfig["events"] = { createUser: async ({ user }) => void user.id };
    composeEvents([v5]);
  });

  it("accepts the `env.X && recipe` idiom, whose falsy side is an empty string", () => {
    const token = process.env.SLACK_TOKEN;
    composeEvents([token && recipe, token ? recipe : null]);
  });

  it("rejects an unknown event name and a non-function handler at compile time", () => {
    // @ts-expect-error: createdUser is not an event
    composeEvents([{ name: "x", events: { createdUser: () => {} } }]);
    // @ts-expect-error: a handler must be a function
    composeEvents([{ name: "x", events: { signIn: "yes" } }]);
  });

  it("types a recipe's options", () => {
    expectTypeOf<Recipe["timeoutMs"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error: timeoutMs is a number
    composeEvents([], { timeoutMs: "1000" });
  });
});

describe("the kit's types", () => {
  it("returns configuration errors to throw, of the right classes", async () => {
    const kit = await import("../src/kit/index.ts");
    expectTypeOf(kit.configError("x", "y")).toEqualTypeOf<TypeError>();
    expectTypeOf(kit.configRangeError("x", "y")).toEqualTypeOf<RangeError>();
    expectTypeOf(kit.requiredOption("x", "y")).toEqualTypeOf<TypeError>();
    expectTypeOf(kit.usableEmail).returns.toEqualTypeOf<string | undefined>();
    expectTypeOf(kit.redact).parameter(0).toEqualTypeOf<unknown>();
  });

  it("types routes, attempts and their outcomes", () => {
    const routes: RouteTable = resolveRoutes([recipe]);
    expectTypeOf(routes.createUser).toEqualTypeOf<readonly Route[]>();
    const outcome = runAttempt(routes.createUser[0]!, {}, { attempt: 1, dispatchId: "d" });
    expectTypeOf(outcome).toEqualTypeOf<Promise<AttemptOutcome>>();
    expectTypeOf<AttemptOutcome["status"]>().toEqualTypeOf<"fulfilled" | "rejected" | "skipped">();
    // @ts-expect-error: a dispatch id is a string
    runAttempt(routes.createUser[0]!, {}, { attempt: 1, dispatchId: 1 });
  });

  it("types RecipeError's printable cause and its unsafe original", () => {
    expectTypeOf<RecipeError["cause"]>().toEqualTypeOf<Error>();
    expectTypeOf<RecipeError["unsafeCause"]>().toEqualTypeOf<unknown>();
    expectTypeOf<UpstreamError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf(new UpstreamError("x", "y")).toMatchTypeOf<Error>();
  });
});
