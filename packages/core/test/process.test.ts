import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Children run the sources through tsx with the source condition, as the tests do.
function run(
  script: string,
): Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number }> {
  const file = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@auth-recipes/source", "--import", "tsx", file],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr, exitedAt: Date.now() }));
  });
}

describe("in a real process", () => {
  it("leaves no timer or listener behind: the process exits as soon as its events settle", async () => {
    const { code, stdout, exitedAt } = await run("exits-promptly.ts");
    expect(code).toBe(0);
    const settledAt = Number(/settled (\d+)/.exec(stdout)?.[1]);
    // A leaked 10 s timeout or a pending backoff would hold the process open for seconds.
    expect(exitedAt - settledAt).toBeLessThan(500);
  });

  it("the default onError prints one line naming the recipe and event, without the payload or secrets", async () => {
    const { code, stderr } = await run("default-on-error.ts");
    expect(code).toBe(0);
    const lines = stderr.trim().split("\n");
    expect(lines).toEqual([
      '[auth-recipes] recipe "crm" failed on createUser after 1 attempt: could not add [redacted] with key [redacted] and Bearer [redacted]',
    ]);
    expect(stderr).not.toMatch(/ada|lovelace|sk_test|xoxb/i);
  });

  it("the default onError prints exactly one line per failure, escaping line breaks in names and causes", async () => {
    const { code, stderr } = await run("forged-line.ts");
    expect(code).toBe(0);
    // Split on every line terminator a log viewer honours, not only \n.
    const lines = stderr.replace(/\n$/, "").split(/\r\n|[\n\r\u2028\u2029]/);
    expect(lines.sort()).toEqual([
      '[auth-recipes] recipe "crm" failed on createUser after 1 attempt: down\\r\\n[auth-recipes] recipe "audit" failed on createUser: forged',
      '[auth-recipes] recipe "line\\nbreak" failed on createUser after 1 attempt: a\\u2028b\\u2029c\\rd',
    ]);
  });

  it("without globalThis.crypto every dispatch still has an id: handlers read it and onSettled is called", async () => {
    const { code, stdout, stderr } = await run("no-crypto.ts");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const { seen, settled, errors } = JSON.parse(stdout) as Record<
      "seen" | "settled" | "errors",
      string[]
    >;
    expect(errors).toEqual([]);
    expect(settled).toEqual(seen);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^[\w-]{16,}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });
});
