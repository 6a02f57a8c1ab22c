import type { EventMessages, EventName } from "@auth-recipes/core";
import { configError } from "@auth-recipes/core/kit";

type Row = Record<string, unknown>;
type Tables = Record<string, Row[]>;

/** The part of better-auth's internal adapter the host writes through (each write fires its hooks). */
export interface HostAdapter {
  createUser(user: Row): Promise<unknown>;
  updateUser(userId: string, data: Row): Promise<unknown>;
  createAccount(account: Row): Promise<unknown>;
  createSession(userId: string): Promise<unknown>;
  deleteSession(token: string): Promise<unknown>;
}

/** The part of a better-auth instance's API the host calls. */
export interface HostApi {
  api: { signInSocial(input: { body: Row }): Promise<unknown> };
}

/** How the host makes better-auth fire the hook of one event. */
export interface Operation {
  /** Rows written straight into the memory adapter's tables, before and without any hook. */
  seed: Tables;
  /** The social provider an OAuth sign-in goes through, its verification and user info stubbed. */
  socialProviders?: Record<string, unknown>;
  /** The id better-auth should give a new row of `model` (the fixture's), or `undefined`. */
  idFor(model: string): string | undefined;
  /** Makes better-auth write the row whose hook is the event. */
  perform(auth: HostApi, adapter: HostAdapter, tables: Tables): Promise<unknown>;
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** A next-auth user as better-auth stores it: `""` for no name, a boolean `emailVerified`. */
function userRow(user: Row | undefined, id: string): Row {
  const now = new Date();
  return {
    id,
    name: str(user?.name) ?? "",
    email: typeof user?.email === "string" ? user.email : null,
    image: str(user?.image) ?? null,
    emailVerified: Boolean(user?.emailVerified),
    createdAt: now,
    updatedAt: now,
  };
}

const idOf = (user: Row | undefined): string => str(user?.id) ?? "user_conformance";

function stubbedProvider(user: Row, account: Row, profile: Row | undefined) {
  const accountId = String(account.providerAccountId);
  return {
    clientId: "conformance",
    clientSecret: "conformance",
    verifyIdToken: async () => true,
    getUserInfo: async () => ({
      user: {
        name: str(user.name),
        email: user.email,
        image: str(user.image),
        emailVerified: Boolean(user.emailVerified),
      },
      // Providers read the account's id from their profile's `id` (GitHub) or `sub` (OIDC).
      data: { ...profile, id: accountId, sub: accountId },
    }),
  };
}

function signIn(message: EventMessages["signIn"]): Operation {
  const user = (message.user ?? {}) as Row;
  const account = (message.account ?? undefined) as Row | undefined;
  const id = idOf(user);
  const oauth =
    account &&
    (account.type === "oauth" || account.type === "oidc") &&
    typeof user.email === "string" &&
    typeof account.provider === "string";
  const existing = () => {
    const seed: Tables = { user: [userRow(user, id)] };
    return seed;
  };
  if (!oauth) {
    // No request: better-auth knows neither the provider nor whether the user is new.
    return {
      seed: existing(),
      idFor: () => undefined,
      perform: (_auth, adapter) => adapter.createSession(id),
    };
  }
  const provider = String(account.provider);
  const seed: Tables = message.isNewUser ? {} : existing();
  if (!message.isNewUser) {
    seed.account = [
      {
        id: `account_${id}`,
        providerId: provider,
        accountId: String(account.providerAccountId),
        userId: id,
      },
    ];
  }
  return {
    seed,
    socialProviders: { [provider]: stubbedProvider(user, account, message.profile as Row) },
    idFor: (model) => (model === "user" ? id : undefined),
    async perform(auth, adapter, tables) {
      try {
        return await auth.api.signInSocial({
          body: {
            provider,
            idToken: { token: "conformance-id-token", accessToken: account.access_token },
          },
        });
      } catch {
        // better-auth refused the identity (a hostile email, say): sign the user in without a request.
        if (!tables.user?.some((row) => row.id === id)) tables.user?.push(userRow(user, id));
        return adapter.createSession(id);
      }
    },
  };
}

/**
 * The better-auth operation that fires `event`'s hook with the message's data: next-auth's message in,
 * better-auth's rows out, for `authRecipes` to translate back.
 */
export function operationFor<E extends EventName>(event: E, message: EventMessages[E]): Operation {
  const none = () => undefined;
  const m = message as Row;
  const user = m.user as Row | undefined;
  switch (event) {
    case "createUser":
      return {
        seed: {},
        idFor: none,
        perform: (_a, adapter) => adapter.createUser(userRow(user, idOf(user))),
      };
    case "updateUser": {
      const { id, createdAt: _c, ...fields } = userRow(user, idOf(user));
      return {
        seed: { user: [userRow({ ...user, name: "before the update" }, String(id))] },
        idFor: none,
        perform: (_a, adapter) => adapter.updateUser(String(id), { ...fields }),
      };
    }
    case "linkAccount": {
      const account = (m.account ?? {}) as Row;
      const id = idOf(user);
      return {
        seed: { user: [userRow(user, id)] },
        idFor: none,
        perform: (_a, adapter) =>
          // The tokens go in as next-auth has them, so that the translation is seen to drop them.
          adapter.createAccount({
            userId: id,
            providerId: String(account.provider),
            accountId: String(account.providerAccountId),
            accessToken: account.access_token ?? null,
            refreshToken: account.refresh_token ?? null,
            idToken: account.id_token ?? null,
            scope: account.scope ?? null,
          }),
      };
    }
    case "signIn":
      return signIn(message as EventMessages["signIn"]);
    case "signOut": {
      const token = (m.token ?? undefined) as Row | undefined;
      const session = (m.session ?? undefined) as Row | undefined;
      const userId = str(token?.sub) ?? str(session?.userId);
      const sessionToken = `host-session-${crypto.randomUUID()}`;
      const now = new Date();
      const expiresAt =
        session?.expires instanceof Date ? session.expires : new Date(Date.now() + 86_400_000);
      return {
        seed: {
          user: userId ? [userRow({ name: token?.name, email: token?.email }, userId)] : [],
          session: [
            {
              id: `session_${sessionToken}`,
              token: sessionToken,
              userId,
              expiresAt,
              createdAt: now,
              updatedAt: now,
            },
          ],
        },
        idFor: none,
        perform: (_a, adapter) => adapter.deleteSession(sessionToken),
      };
    }
    default:
      throw configError("better-auth", `better-auth has no database hook for ${event}`);
  }
}
