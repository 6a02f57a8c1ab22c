import { configError, configRangeError, requiredOption } from "../config-error.ts";

/** The `typeof` an option must have. */
export type OptionType = "string" | "boolean" | "function" | "number" | "object";

/** What {@link checkOptions} checks of one option. */
export interface OptionRule {
  /**
   * A missing option (`undefined`, `null` or `""`) is refused with `option "<name>" is required`.
   * Otherwise only `undefined` means "the default": `null` is checked like any other value.
   * @default false
   */
  required?: boolean;
  /** The `typeof` the value must have (`"object"` refuses `null`). */
  type?: OptionType;
  /** A further test of the value's shape (a client with the method the recipe calls). */
  test?: (value: unknown) => boolean;
  /**
   * What the option must be, as the message says it: `option "<name>" must be <is>`.
   * @default "a string", "a boolean", "a function", "a number" or "an object", after `type`
   */
  is?: string;
  /**
   * A value of the right type that is out of range: `[test, what]`, refused with a `RangeError`
   * `option "<name>" must be <what>`.
   */
  range?: readonly [test: (value: never) => boolean, what: string];
}

/**
 * The rules of a recipe's options, by name; a bare type is short for `{ type }`. Every option the
 * factory takes is listed, those its recipe checks itself with an empty rule (`{}`): a key not listed is
 * refused. `timeoutMs` and `retry`, which every recipe takes (see `withRecipeOptions`), need no entry.
 */
export type OptionSpec = Readonly<Record<string, OptionRule | OptionType>>;

const ARTICLE: Record<OptionType, string> = {
  string: "a string",
  boolean: "a boolean",
  function: "a function",
  number: "a number",
  object: "an object",
};

// The options every recipe takes, which withRecipeOptions applies and composeEvents checks.
const TAIL = ["timeoutMs", "retry"] as const;
// How much of a refused key a message quotes: a key is the user's text, possibly huge.
const MAX_KEY = 64;

function quoted(key: string): string {
  return JSON.stringify(key.length > MAX_KEY ? `${key.slice(0, MAX_KEY)}…` : key);
}

/**
 * Checks a recipe's options at construction, with one message per kind of mistake, all prefixed
 * `[auth-recipes/<pkg>]`: options that are not an object (`options must be an object: { <required> }`,
 * a `TypeError`), a key that is no option of the factory
 * (`option "<key>" is not an option of <factory>; the options are …`, a `TypeError`: a misspelt or
 * renamed option fails here rather than being ignored), a required option missing (`option "<name>" is required`, see `requiredOption`), a
 * value of the wrong type or shape (`option "<name>" must be <is>`, a `TypeError`) and a value out of
 * range (`option "<name>" must be <what>`, a `RangeError`). A recipe keeps its own checks for what a
 * rule cannot say, after this one.
 *
 * @example
 * ```ts
 * checkOptions("slack", "slackNotify", options, {
 *   client: { required: true, test: (c) => typeof (c as WebClient)?.chat?.postMessage === "function", is: "a WebClient" },
 *   channel: { required: true, type: "string" },
 *   includeEmail: "boolean",
 *   maxLength: { type: "number", range: [(n: number) => n > 0, "a positive number"] },
 *   on: {}, // checked by the recipe
 * });
 * ```
 */
export function checkOptions(
  pkg: string,
  factory: string,
  options: unknown,
  spec: OptionSpec,
): asserts options is Record<string, unknown> {
  const rules = Object.entries(spec).map(
    ([name, rule]) => [name, typeof rule === "string" ? { type: rule } : rule] as const,
  );
  if (typeof options !== "object" || options === null) {
    const required = rules.filter(([, rule]) => rule.required).map(([name]) => name);
    throw configError(pkg, `options must be an object: { ${required.join(", ")} }`);
  }
  // Own enumerable string keys, as a spread or a literal has them; no getter runs to list them.
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(spec, key) && !(TAIL as readonly string[]).includes(key)) {
      const known = [...Object.keys(spec), ...TAIL].join(", ");
      throw configError(
        pkg,
        `option ${quoted(key)} is not an option of ${factory}; the options are ${known}`,
      );
    }
  }
  for (const [name, rule] of rules) {
    const value = (options as Record<string, unknown>)[name];
    if (
      rule.required ? value === undefined || value === null || value === "" : value === undefined
    ) {
      if (rule.required) throw requiredOption(pkg, name);
      continue;
    }
    const typed = rule.type === undefined || typeof value === rule.type;
    if (!typed || (rule.type === "object" && value === null) || (rule.test && !rule.test(value))) {
      throw configError(
        pkg,
        `option "${name}" must be ${rule.is ?? ARTICLE[rule.type ?? "object"]}`,
      );
    }
    if (rule.range && !rule.range[0](value as never)) {
      throw configRangeError(pkg, `option "${name}" must be ${rule.range[1]}`);
    }
  }
}
