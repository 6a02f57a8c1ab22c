import { invalid } from "./errors.ts";

// Form values as Stripe's bracket encoding nests them: `metadata[userId]=u1`, `expand[0]=x`.
/** One form value. */
export type Param = string | Param[] | { [key: string]: Param };
/** A request's parameters. */
export type Params = { [key: string]: Param };

/**
 * Parses Stripe's form encoding (`a=1&metadata[userId]=u1&expand[0]=x&tags[]=y`) into nested values.
 * Objects whose keys are 0, 1, 2… become arrays, as Stripe reads `expand[0]=…`.
 */
export function parseStripeForm(text: string): Params {
  const root: Params = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match) throw invalid(`Invalid parameter name: ${name}`, { param: name });
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Record<string, Param> = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i]!;
      // `tags[]=a&tags[]=b` appends, as `tags[0]=a&tags[1]=b` does.
      if (segment === "") segment = String(Object.keys(node).length);
      if (i === path.length - 1) {
        if (typeof node[segment] === "object") {
          throw invalid(`Invalid hash: ${path.slice(0, i + 1).join(".")}`, { param: path[0] });
        }
        node[segment] = value;
        break;
      }
      const next = node[segment];
      if (next === undefined || next === "") {
        // `metadata=` (empty, meaning "clear") followed by `metadata[k]=v` keeps the keys given.
        const child: Record<string, Param> = {};
        node[segment] = child;
        node = child;
      } else if (typeof next === "string") {
        throw invalid(`Invalid hash: ${path.slice(0, i + 1).join(".")}`, { param: path[0] });
      } else {
        node = next as Record<string, Param>;
      }
    }
  }
  return toArrays(root) as Params;
}

function toArrays(value: Param): Param {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((key) => [key, toArrays(value[key]!)]));
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) {
    return keys.map((key) => converted[key]!);
  }
  return converted;
}

/** A key that fingerprints parameters whatever order they came in. */
export function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}
