// A dispatch id must be unique, not secret: it names one dispatch in idempotency keys (Segment's message
// ids, a queue's job ids) and in reports, and nobody gains anything by guessing one. So where the Web
// Crypto API is missing (a stripped or sandboxed runtime), a non-cryptographic id that cannot repeat
// within a process and is unlikely to repeat across processes serves as well as a UUID; failing the
// dispatch instead would lose every side effect of it.

let counter = 0;
// Drawn once per process: it tells apart two processes that start in the same millisecond.
let processPart: string | undefined;

function randomPart(length: number): string {
  let out = "";
  while (out.length < length) out += Math.random().toString(36).slice(2);
  return out.slice(0, length);
}

/**
 * A new dispatch id: `crypto.randomUUID()` where the runtime has it, else an id made of the time, a
 * per-process random part and a counter (see above for why that is enough).
 * @internal
 */
export function newDispatchId(): string {
  try {
    const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
    if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  } catch {
    // A runtime whose crypto getter throws is a runtime without crypto.
  }
  processPart ??= randomPart(12);
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Date.now().toString(36)}-${processPart}-${counter.toString(36)}-${randomPart(8)}`;
}
