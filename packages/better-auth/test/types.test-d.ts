import type { Recipe } from "@auth-recipes/core";
import { type BetterAuthPlugin, betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { describe, expectTypeOf, it } from "vitest";
import { type AuthRecipesPlugin, authRecipes } from "../src/index.ts";
import { betterAuthHost } from "../src/testing.ts";

declare const recipe: Recipe;

describe("authRecipes types", () => {
  it("is better-auth's plugin type, with its id", () => {
    const plugin = authRecipes([recipe]);
    expectTypeOf(plugin).toEqualTypeOf<AuthRecipesPlugin>();
    expectTypeOf(plugin).toExtend<BetterAuthPlugin>();
    expectTypeOf(plugin.id).toExtend<"auth-recipes">();
  });

  it("goes in betterAuth's plugins, beside the app's other options", () => {
    betterAuth({
      database: memoryAdapter({}),
      emailAndPassword: { enabled: true },
      advanced: { backgroundTasks: { handler: () => {} } },
      plugins: [
        authRecipes([recipe, false, null, { createUser: () => {} }], {
          timeoutMs: 5_000,
          retry: true,
        }),
      ],
    });
  });

  it("takes composeEvents' inputs and options, nothing else", () => {
    // @ts-expect-error a recipe, not a bare function
    authRecipes([() => {}]);
    // @ts-expect-error an unknown option
    authRecipes([recipe], { timeout: 5_000 });
    // @ts-expect-error an array of recipes
    authRecipes(recipe);
  });

  it("the host only runs the event, and resolves with how long better-auth waited", () => {
    expectTypeOf(
      betterAuthHost().dispatch([recipe], "createUser", { user: { id: "u1" } }, {}),
    ).resolves.toEqualTypeOf<{ durationMs: number }>();
  });
});
