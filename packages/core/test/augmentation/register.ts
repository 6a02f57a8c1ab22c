// Compiled on its own (`pnpm typecheck`): an app's augmented next-auth User, registered with core,
// reaches the handlers' messages with its own fields.
import type { NextAuthOptions } from "next-auth";
import { composeEvents, defineRecipe } from "../../src/index.ts";

declare module "next-auth" {
  interface User {
    role: "admin" | "member";
  }
}

declare module "../../src/index.ts" {
  interface Register {
    user: import("next-auth").User;
  }
}

const roles = defineRecipe({
  name: "roles",
  events: {
    createUser: ({ user }) => {
      const role: "admin" | "member" = user.role;
      void role;
      // @ts-expect-error: the registered type has no such field
      void user.nickname;
    },
  },
});

export const options: NextAuthOptions = { providers: [], events: composeEvents([roles]) };
