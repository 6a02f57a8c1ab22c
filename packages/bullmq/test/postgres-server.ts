// A real PostgreSQL (Debian's package) for the tests: its own cluster in a temporary directory, on a free
// loopback port, trust authentication, fsync off (a test cluster is thrown away).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

/** Where `initdb` and `postgres` are: on PATH, or in Debian's versioned directory. */
export function postgresBin(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":"))
    if (existsSync(join(dir, "initdb"))) return dir;
  const debian = "/usr/lib/postgresql";
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian).sort().reverse();
  return versions.map((v) => join(debian, v, "bin")).find((dir) => existsSync(join(dir, "initdb")));
}

export interface PostgresServer {
  url: string;
  close(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql)");
  const dir = mkdtempSync(join(tmpdir(), "auth-recipes-pg-"));
  // PostgreSQL refuses to run as root: as root, the cluster and its processes belong to the postgres user.
  const owner: { uid?: number; gid?: number } =
    userInfo().uid === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
          gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
        }
      : {};
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  execFileSync(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"], {
    stdio: "ignore",
    ...owner,
  });
  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
  ];
  const child: ChildProcess = spawn(join(bin, "postgres"), args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...owner,
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`postgres did not start: ${output}`)), 30_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${code}): ${output}`));
    });
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      if (child.exitCode === null) {
        await new Promise((resolve) => {
          child.once("exit", resolve);
          // SIGINT is PostgreSQL's fast shutdown.
          child.kill("SIGINT");
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
