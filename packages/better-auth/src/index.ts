export { type AuthRecipesPlugin, authRecipes } from "./auth-recipes.ts";
