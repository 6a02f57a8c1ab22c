// The fixtures have next-auth's own message types: v4's EventCallbacks and Auth.js v5's events.
import type { AuthConfig } from "@auth/core";
import type { EventMessages } from "@auth-recipes/core";
import type { EventCallbacks, Session, User } from "next-auth";
import type { AdapterSession } from "next-auth/adapters";
import type { JWT } from "next-auth/jwt";
import { describe, expectTypeOf, it } from "vitest";
import { defaultMessage, events, hostileUsers, users } from "../src/index.ts";

type V4<E extends keyof EventCallbacks> = Parameters<EventCallbacks[E]>[0];
type V5<E extends keyof NonNullable<AuthConfig["events"]>> = Parameters<
  NonNullable<NonNullable<AuthConfig["events"]>[E]>
>[0];

// Plain assignability, as when a fixture is passed to a next-auth events callback.
const fits = <T>(value: T): T => value;

describe("fixtures", () => {
  it("fit next-auth v4's event messages", () => {
    fits<V4<"createUser">>(events.createUser());
    fits<V4<"updateUser">>(events.updateUser(users.noName));
    // v4 types signIn's profile as the raw OAuth Profile, but passes provider.profile()'s result, a User.
    fits<V4<"signIn">>({ ...events.signInOAuth(), profile: undefined });
    fits<User>(events.signInOAuth().profile);
    fits<V4<"signIn">>(events.signInEmail());
    fits<V4<"signIn">>(events.signInCredentials());
    fits<V4<"linkAccount">>(events.linkAccount(hostileUsers.noEmail));
    // v4's types claim both fields for signOut and session; each strategy sends one of them.
    fits<JWT>(events.signOutWithToken().token);
    fits<AdapterSession>(events.signOutWithSession().session);
    fits<Session>(events.session().session);
    fits<JWT>(events.session().token);
    fits<Session>(events.sessionWithDatabase().session);
  });

  it("fit Auth.js v5's event messages", () => {
    fits<V5<"createUser">>(events.createUser());
    // v5 passes the provider's raw profile with signIn, where v4 (which the fixtures follow) passes a User.
    fits<V5<"signIn">>({ ...events.signInOAuth(), profile: undefined });
    fits<V5<"signIn">>(events.signInCredentials());
    fits<V5<"signOut">>(events.signOutWithToken());
    fits<V5<"signOut">>(events.signOutWithSession());
    fits<V5<"linkAccount">>(events.linkAccount());
    fits<V5<"session">>(events.session());
  });

  it("fit the messages recipes handle, per event", () => {
    expectTypeOf(defaultMessage("signIn")).toEqualTypeOf<EventMessages["signIn"]>();
    expectTypeOf(defaultMessage("signOut", users.bob)).toEqualTypeOf<EventMessages["signOut"]>();
    fits<EventMessages["signOut"]>(events.signOutWithSession());
    fits<EventMessages["session"]>(events.sessionWithDatabase());
    fits<EventMessages["linkAccount"]>(events.linkAccount());
  });
});
