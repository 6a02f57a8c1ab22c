// Every event the recipe sends carries a UUID that is the same on every attempt of one dispatch: a
// name-based (version 5) UUID of the recipe's name, the dispatch id and the call. posthog-node replaces
// anything that is not a valid UUID with a random one, without a word, so the id must be a real UUID.

// The recipe's own namespace, so its UUIDs never collide with another name-based scheme's.
const NAMESPACE = "e71ad6a3-6705-4d50-864b-fb578a354f42";

function bytesOf(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  return Uint8Array.from({ length: 16 }, (_, index) =>
    Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16),
  );
}

/**
 * The version 5 UUID (RFC 9562: SHA-1 of a namespace and a name) of `[recipe, dispatchId, call]`. The
 * parts are joined as JSON, so no two different triples give the same name (`a-b`,`c` and `a`,`b-c`).
 */
export async function eventUuid(recipe: string, dispatchId: string, call: string): Promise<string> {
  const name = new TextEncoder().encode(JSON.stringify([recipe, dispatchId, call]));
  const input = new Uint8Array(16 + name.length);
  input.set(bytesOf(NAMESPACE));
  input.set(name, 16);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", input));
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = Array.from(hash.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
