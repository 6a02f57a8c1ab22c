import { buildApp, buildPackages } from "../scripts/build.ts";
import { E2E_DIST_DIR } from "./support/app.ts";

/**
 * Builds core and the recipes (they are bundled from their `dist/`, as users install them), then a
 * production build of the app, in its own folder so that a running `pnpm demo` is left alone. `E2E_SKIP_BUILD=1` reuses the last one while iterating on the tests.
 */
export default async function setup(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  const started = performance.now();
  await buildPackages(undefined, true);
  await buildApp(E2E_DIST_DIR, true);
  console.log(`built the packages and the app in ${Math.round(performance.now() - started)} ms`);
}
