import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// A plain Node process, as an app runs: the fixture runs the sources through tsx with the source
// condition, as the tests do, and with Node's default for unhandled rejections (crash).
function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@auth-recipes/source", "--import", "tsx", file],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

it("a backgroundTasks.handler that returns a rejecting promise neither crashes the app nor leaves an unhandled rejection", async () => {
  const { code, stdout, stderr } = await run("rejecting-background.ts");
  expect(stderr).toBe("");
  expect(code).toBe(0);
  // The recipes still ran: the handler got the work, whatever it answered.
  expect(JSON.parse(stdout)).toEqual({ ran: ["createUser", "signIn"], handed: 2 });
});
