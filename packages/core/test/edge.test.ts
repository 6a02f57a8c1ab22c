// Core where next-auth's config runs on the edge (or in a browser): bundled for a non-Node platform and
// run in a V8 context that has no `process`, a dispatch works, without tracing channels and without a
// `node:` import anywhere in the bundle.
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const entry = new URL("../src/index.ts", import.meta.url).pathname;

async function bundle(platform: "neutral" | "browser"): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform,
    format: "iife",
    globalName: "core",
    target: "es2022",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe.each(["neutral", "browser"] as const)("core bundled for platform %s", (platform) => {
  it("dispatches in a context without process or diagnostics_channel", async () => {
    const code = await bundle(platform);
    // The one mention of node:diagnostics_channel is the string given to process.getBuiltinModule.
    expect(code.match(/node:\w+/g)).toEqual(["node:diagnostics_channel"]);
    expect(code).not.toMatch(/\brequire\(|\bimport\(|^import /m);

    const seen: string[] = [];
    // Only what the edge runtime offers: no process, no require, no Buffer.
    const sandbox = {
      console,
      crypto: globalThis.crypto,
      performance: globalThis.performance,
      setTimeout,
      clearTimeout,
      AbortController,
      record: (text: string) => seen.push(text),
      result: undefined as unknown,
    };
    runInNewContext(
      `${code}
      result = (async () => {
        const reports = [];
        const events = core.composeEvents(
          [
            core.defineRecipe({ name: "a", events: { createUser: async (m, c) => record("a " + c.attempt + " " + c.dispatchId.length) } }),
            { createUser: () => { throw new Error("down for ada@example.test"); } },
          ],
          { onError: (e) => record(e.message), onSettled: (r) => reports.push(r.results.map((x) => x.status).join(",")) },
        );
        await events.createUser({ user: { id: "u1", email: "ada@example.test" } });
        return { hasProcess: typeof process !== "undefined", reports, channels: core.TRACING_CHANNELS.dispatch };
      })();`,
      sandbox,
    );
    const outcome = await (sandbox.result as Promise<unknown>);
    expect(outcome).toEqual({
      hasProcess: false,
      reports: ["fulfilled,rejected"],
      channels: "auth-recipes:dispatch",
    });
    expect(seen).toEqual([
      "a 1 36",
      'recipe "events[1]" failed on createUser after 1 attempt: down for [redacted]',
    ]);
  });
});
