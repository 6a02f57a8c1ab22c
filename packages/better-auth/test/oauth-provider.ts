import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A user the local provider signs in, and the tokens it hands out for that user. */
export interface ProviderUser {
  sub: string;
  email: string;
  name: string;
}

export interface LocalOAuthProvider {
  /** `http://127.0.0.1:PORT`: `/authorize`, `/token` and `/userinfo` live under it. */
  url: string;
  /** The access token it issued last (what must never reach a service). */
  accessTokens: string[];
  /** The next `/authorize` signs in this user. */
  signInAs(user: ProviderUser): void;
  close(): Promise<void>;
}

/**
 * A minimal OAuth 2.0 authorization-code provider on 127.0.0.1, for better-auth's generic OAuth plugin:
 * `/authorize` redirects back at once with a code, `/token` exchanges it, `/userinfo` answers for the
 * token. No consent, no client check: it exists so that the real callback path runs without a network.
 */
export async function startOAuthProvider(): Promise<LocalOAuthProvider> {
  let current: ProviderUser | undefined;
  const codes = new Map<string, ProviderUser>();
  const tokens = new Map<string, ProviderUser>();
  const accessTokens: string[] = [];
  let counter = 0;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/authorize") {
      if (!current) return send(400, { error: "no user to sign in" });
      const code = `code-${++counter}`;
      codes.set(code, current);
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return void response.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === "/token") {
      let body = "";
      for await (const chunk of request) body += chunk;
      const user = codes.get(new URLSearchParams(body).get("code") ?? "");
      if (!user) return send(400, { error: "invalid_grant" });
      const accessToken = `gho_fixture-access-token-${++counter}`;
      tokens.set(accessToken, user);
      accessTokens.push(accessToken);
      return send(200, {
        access_token: accessToken,
        refresh_token: `ghr_fixture-refresh-token-${counter}`,
        token_type: "bearer",
        expires_in: 3600,
        scope: "openid email profile",
      });
    }
    if (url.pathname === "/userinfo") {
      const token = request.headers.authorization?.replace(/^Bearer /i, "") ?? "";
      const user = tokens.get(token);
      if (!user) return send(401, { error: "invalid_token" });
      // OAuth 2.0 (not OIDC) providers name the account by `id`, as GitHub does.
      return send(200, { id: user.sub, ...user, email_verified: true });
    }
    send(404, { error: "not found" });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accessTokens,
    signInAs(user) {
      current = user;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}
