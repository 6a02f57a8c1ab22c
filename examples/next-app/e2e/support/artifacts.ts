import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Screenshots go here (git-ignored); CI can keep the folder as the run's artifacts. */
export const ARTIFACTS_DIR: string = fileURLToPath(new URL("../../artifacts/", import.meta.url));

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return `${ARTIFACTS_DIR}${name}`;
}
