// What an error looks like once it is logged: the four ways apps print what reaches `onError`. A secret
// or an address that none of them shows has not leaked through a log.
import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
// The named export, not the default: a default import of this CommonJS module makes the bundler put its
// interop helper in this entry's CommonJS chunk, which every other entry then requires, and with it pino,
// which is optional (the registry test's CommonJS sign-up failed on "Cannot find module 'pino'").
import { pino } from "pino";

/** The printers {@link printedForms} prints with. */
export type Printer = "console" | "inspect" | "json" | "pino";

/**
 * An error as apps print it from `onError`: `console.error(error)`, `util.inspect(error, { depth: 4 })`,
 * `JSON.stringify(error)` and pino's default `err` serializer (`logger.warn(error)`), each as the text
 * it writes. Needs `pino`, an optional peer dependency of this entry.
 *
 * @example
 * ```ts
 * import { printedForms } from "@auth-recipes/testing/printed";
 *
 * const forms = printedForms(new Error("boom", { cause: { status: 500 } }));
 * forms.inspect.includes("status: 500"); // true: inspect shows the cause
 * ```
 */
export function printedForms(error: unknown): Record<Printer, string> {
  let written = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  new Console({ stdout: sink, stderr: sink }).error(error);
  let logged = "";
  pino(
    {},
    {
      write(line: string) {
        logged += line;
      },
    },
  ).warn(error);
  return {
    console: written,
    inspect: inspect(error, { depth: 4 }),
    json: JSON.stringify(error) ?? "",
    pino: logged,
  };
}

/**
 * Throws, naming each printer and what it printed, when any printed form of `error` holds one of
 * `secrets` as it is or URL-encoded (an address in a query string). Give it the keys and tokens of your
 * setup and the user's email address.
 *
 * @example
 * ```ts
 * import { expectNothingPrinted } from "@auth-recipes/testing/printed";
 *
 * // in onError, or on the error a test caught:
 * expectNothingPrinted(new Error("Stripe answered 500"), ["sk_test_123", "alice@example.test"]);
 * ```
 */
export function expectNothingPrinted(error: unknown, secrets: readonly string[]): void {
  const forms = printedForms(error);
  const leaks: string[] = [];
  for (const [printer, text] of Object.entries(forms)) {
    for (const secret of secrets) {
      for (const shape of new Set([secret, encodeURIComponent(secret)])) {
        if (text.includes(shape)) leaks.push(`${printer} printed ${JSON.stringify(shape)}`);
      }
    }
  }
  if (leaks.length) throw new Error(`${leaks.join("; ")}:\n${forms.inspect}`);
}
