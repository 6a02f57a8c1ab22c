import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The app's folder: `next build` and `next start` run here. */
export const APP_DIR: string = fileURLToPath(new URL("..", import.meta.url));

/** Next's own CLI, run with this Node: no shell, no package manager in between. */
export const NEXT_BIN: string = createRequire(`${APP_DIR}package.json`).resolve(
  "next/dist/bin/next",
);

/**
 * Calls `onLine` with each whole line the child prints, on stdout and on stderr, each stream buffered on
 * its own so that a line split across chunks is never mixed with the other stream's.
 */
export function forEachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a port on 127.0.0.1 can be listened on now: tried, not guessed, so it works everywhere. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The socket inodes listening on a TCP port, from /proc/net/tcp and tcp6 (Linux). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the inode.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9]) {
        inodes.add(fields[9]);
      }
    }
  }
  return inodes;
}

/**
 * The process that listens on a port, or undefined. `next start` is not always the process its
 * launcher spawned (a package manager or a wrapper sits in between), so stopping the spawned process
 * can leave the server running: find the listener itself.
 */
export function listeningPid(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (!inodes.size) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return check();
}

/**
 * Stops a server: SIGTERM to the process listening on `port` and to `child` (the process we spawned),
 * SIGKILL to whichever is still alive after `graceMs`. Resolves when both are gone.
 */
export async function stopServer(
  port: number,
  child: ChildProcess | undefined,
  graceMs = 5_000,
): Promise<void> {
  const pids = new Set<number>();
  const listener = listeningPid(port);
  if (listener) pids.add(listener);
  if (child?.pid && child.exitCode === null && child.signalCode === null) pids.add(child.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      pids.delete(pid);
    }
  }
  const gone = () => [...pids].every((pid) => !alive(pid));
  if (!(await waitFor(gone, graceMs))) {
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    await waitFor(gone, 2_000);
  }
}

/** Every child the launcher started that may still run, and the ports its grandchildren listen on. */
const children = new Set<ChildProcess>();
const ports = new Set<number>();

/** Remembers a child, so that the launcher's exit, however it happens, does not leave it running. */
export function ownChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Remembers a port that a process started on the launcher's behalf listens on (redis-server's). */
export function ownPort(port: number): void {
  ports.add(port);
}

/**
 * SIGTERM to every owned child still running and to whatever listens on an owned port. Synchronous, so
 * that it also runs in `process.on("exit")` after a crash, where nothing can be awaited.
 */
export function signalOwned(signal: NodeJS.Signals = "SIGTERM"): void {
  const pids = new Set<number>();
  for (const child of children) {
    if (child.pid && child.exitCode === null && child.signalCode === null) pids.add(child.pid);
  }
  for (const port of ports) {
    const pid = listeningPid(port);
    if (pid && pid !== process.pid) pids.add(pid);
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Runs a command to its end, its output shown, and rejects when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? APP_DIR,
      env: options.env ?? process.env,
      stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    ownChild(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})${output ? `:\n${output.slice(-4_000)}` : ""}`,
          ),
        );
    });
  });
}
