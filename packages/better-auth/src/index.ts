export { type AuthRecipesOptions, type AuthRecipesPlugin, authRecipes } from "./auth-recipes.ts";
export type { SignInMethod } from "./sign-in-routes.ts";
