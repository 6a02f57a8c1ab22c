import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Emulator } from "../emulator/types.ts";
import type { RecipeTestConfig } from "./config.ts";
import { fail } from "./errors.ts";
import { build, defaultEvents, prepare } from "./harness.ts";

/** The `"auth-recipes"` manifest's `events` of the package that holds `file`, if it has one. */
function manifestEvents(file: string): { path: string; events: unknown } | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (existsSync(path)) {
      const manifest = (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>)[
        "auth-recipes"
      ] as { events?: unknown } | undefined;
      return manifest?.events === undefined ? undefined : { path, events: manifest.events };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The events the recipe handles with its valid options are the `events` its package's manifest lists
 * (the README's and the docs' tables are written from the manifest, so they say what the code does).
 * A package without a manifest has nothing to hold the recipe to: the check passes.
 */
export async function checkManifestEvents<E extends Emulator, O extends object>(
  config: RecipeTestConfig<E, O>,
  emulator: E,
  testFile: string,
): Promise<void> {
  const found = manifestEvents(testFile);
  if (!found) return;
  await prepare(emulator);
  const handled = defaultEvents(build(config, emulator));
  const listed = Array.isArray(found.events) ? [...found.events].map(String) : [];
  if ([...listed].sort().join() !== [...handled].sort().join()) {
    fail(
      `the recipe handles ${handled.join(", ")} by default, but ${found.path}'s "auth-recipes" manifest lists ${listed.join(", ") || "none"}`,
    );
  }
}
