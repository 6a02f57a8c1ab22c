// The one list of recipe packages: every folder under packages/ whose package.json carries an
// "auth-recipes" manifest. The docs sidebar and recipe pages, the docs tests, the bench's package list
// and size budgets read it, so adding a recipe is adding its folder, never an edit to a list.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_NAMES } from "../packages/core/src/events.ts";

/** The `"auth-recipes"` field of a recipe package's package.json. */
export interface RecipeManifest {
  /** The recipe's name as `composeEvents` reports it, such as `slack` or `stripe-customer`. */
  recipe: string;
  /** The factory the package exports, such as `slackNotify`. */
  factory: string;
  /**
   * `recipe` when the factory returns a recipe; `transport` when it returns a transport of the recipe
   * named by `recipe` (Resend's, for `welcome-email`).
   */
  kind: "recipe" | "transport";
  /** The SDK the recipe drives (its peer dependency), or `null` when it speaks HTTP itself. */
  sdk: string | null;
  /** The title of its docs page and sidebar entry, such as `Slack`. */
  title: string;
  /**
   * What it does, in one line of Markdown starting lowercase: its row in the root README's package table
   * and in the recipes overview (`scripts/recipe-tables.ts`).
   */
  summary: string;
  /** The events it handles by default, in next-auth's names, such as `["createUser"]`. */
  events: string[];
  /** The `@auth-recipes/testing` emulator its tests and the demo use, such as `slack`, or `null`. */
  emulator: string | null;
  /** The most bytes its ESM build may weigh, minified and gzipped, without its dependencies (the bench). */
  sizeBudget: number;
}

/** A recipe package: its folder, its npm name and its manifest. */
export interface RecipePackage extends RecipeManifest {
  /** The folder under packages/, such as `slack`. */
  dir: string;
  /** The package's name, such as `@auth-recipes/slack`. */
  name: string;
}

/** next-auth's events, as a manifest's `events` may name them: core's own list. */
const EVENTS: readonly unknown[] = EVENT_NAMES;

const FIELDS: Record<keyof RecipeManifest, (value: unknown) => boolean> = {
  recipe: (value) => typeof value === "string" && value !== "",
  factory: (value) => typeof value === "string" && /^[a-z][A-Za-z0-9]*$/.test(value),
  kind: (value) => value === "recipe" || value === "transport",
  sdk: (value) => value === null || (typeof value === "string" && value !== ""),
  title: (value) => typeof value === "string" && value !== "",
  // One table cell: no line break, no pipe.
  summary: (value) => typeof value === "string" && value !== "" && !/[\r\n|]/.test(value),
  events: (value) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((event) => EVENTS.includes(event)) &&
    new Set(value).size === value.length,
  emulator: (value) => value === null || (typeof value === "string" && value !== ""),
  sizeBudget: (value) => Number.isSafeInteger(value) && (value as number) > 0,
};

/** The repository's packages/ folder. */
export const PACKAGES_DIR: string = new URL("../packages/", import.meta.url).pathname;

/**
 * Every recipe package, sorted by folder name. A manifest with a missing or malformed field throws,
 * naming the package and the field, so a typo fails the build of every list rather than dropping a page.
 */
export function recipePackages(packagesDir: string = PACKAGES_DIR): RecipePackage[] {
  return readdirSync(packagesDir)
    .sort()
    .flatMap((dir) => {
      const file = join(packagesDir, dir, "package.json");
      if (!existsSync(file)) return [];
      const json = JSON.parse(readFileSync(file, "utf8")) as {
        name: string;
        "auth-recipes"?: Record<string, unknown>;
      };
      const manifest = json["auth-recipes"];
      if (manifest === undefined) return [];
      for (const [field, valid] of Object.entries(FIELDS)) {
        if (!valid(manifest[field])) {
          throw new TypeError(
            `packages/${dir}/package.json: "auth-recipes"."${field}" is missing or malformed`,
          );
        }
      }
      return [{ dir, name: json.name, ...(manifest as unknown as RecipeManifest) }];
    });
}
