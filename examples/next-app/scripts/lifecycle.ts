// How the demo ends, whoever ends it. Ctrl-C in a terminal signals the whole foreground group, but a
// process manager or an IDE holds the pid of `npm run demo` and signals that process alone: npm forwards
// the signal to the `sh -c` it runs the script in, sh dies of it without passing it on, and the launcher
// was left running with the app and the emulators on 3000, 2525 and 4000-4030. So the
// launcher stops on SIGINT, SIGTERM and SIGHUP, and also when any process above it exits.
import { readFileSync } from "node:fs";
import { signalOwned } from "./processes.ts";

/** A process's parent pid, from /proc (Linux), or undefined when it is gone or /proc is absent. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** The pids above this process, nearest first, up to init. */
function ancestors(): number[] {
  const chain: number[] = [];
  let pid: number | undefined = process.ppid;
  while (pid && pid > 1 && chain.length < 64) {
    chain.push(pid);
    pid = parentOf(pid);
  }
  return chain;
}

/**
 * Calls `onGone` once any process above this one exits (its children are then re-parented, so the chain
 * of parents changes). On Linux the whole chain is watched, as npm's shell (and tsx's CLI, when the
 * launcher is run with `tsx`) sits between npm and the launcher; elsewhere, the direct parent only.
 */
export function watchAncestors(onGone: () => void, everyMs = 250): () => void {
  const hasProc = parentOf(process.pid) !== undefined;
  const first = hasProc ? ancestors().join(" ") : String(process.ppid);
  const timer = setInterval(() => {
    const now = hasProc ? ancestors().join(" ") : String(process.ppid);
    if (now !== first) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs `stop` once, on the first of SIGINT, SIGTERM, SIGHUP or an ancestor's exit; and signals every
 * owned child on the launcher's exit, so that even a crash leaves nothing listening.
 */
export function stopOnExit(stop: (reason: string) => void): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => stop(signal));
  }
  watchAncestors(() => stop("the process that started the demo exited"));
  process.on("exit", () => signalOwned("SIGTERM"));
}
