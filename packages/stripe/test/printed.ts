import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";

/**
 * An error as users print it from `onError`: `console.error(error)`, `util.inspect(error, { depth: 4 })`,
 * `JSON.stringify(error)` and pino's default `err` serializer (`logger.warn(error)`).
 */
export function printed(error: unknown): Record<"console" | "inspect" | "json" | "pino", string> {
  let written = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  new Console({ stdout: sink, stderr: sink }).error(error);
  let logged = "";
  const destination = {
    write(line: string) {
      logged += line;
    },
  };
  pino({}, destination).warn(error);
  return {
    console: written,
    inspect: inspect(error, { depth: 4 }),
    json: JSON.stringify(error) ?? "",
    pino: logged,
  };
}

/** Fails naming the printer and the secret when any printed form holds one of `secrets`. */
export function expectNothingOf(error: unknown, secrets: readonly string[]): void {
  const forms = printed(error);
  const leaks: string[] = [];
  for (const [printer, text] of Object.entries(forms)) {
    for (const secret of secrets) {
      for (const shape of [secret, encodeURIComponent(secret)]) {
        if (text.includes(shape)) leaks.push(`${printer} printed ${JSON.stringify(shape)}`);
      }
    }
  }
  if (leaks.length) throw new Error(`${leaks.join("; ")}:\n${forms.inspect}`);
}
