import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, type RecordedRequest, startHttpEmulator } from "../src/index.ts";

// What the service behind the emulator saw: fault injection must happen in front of it.
const handled: RecordedRequest[] = [];
let resets = 0;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startHttpEmulator(
    {},
    (request) => {
      handled.push(request);
      if (request.path === "/throw") throw new Error("service bug");
      if (request.path === "/text") return { status: 201, body: "plain", headers: { "x-a": "1" } };
      if (request.path === "/drop") return { status: 200, drop: true };
      return { status: 200, body: { ok: true, path: request.path } };
    },
    () => {
      resets++;
    },
  );
});
afterAll(() => emulator.close());
afterEach(async () => {
  await emulator.up();
  emulator.reset();
  handled.length = 0;
});

/** The error a fetch rejected with, and the code of its cause (undici wraps network errors). */
async function failure(promise: Promise<unknown>): Promise<{ error: Error; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return { error: error as Error, code: ((error as Error).cause as { code?: string })?.code };
  }
  throw new Error("expected the request to fail");
}

describe("startHttpEmulator: recording", () => {
  it("listens on 127.0.0.1 on a free port and records every request as it arrived", async () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    const before = Date.now();
    const response = await fetch(`${emulator.url}/v1/things?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: JSON.stringify({ name: "Ada" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, path: "/v1/things?x=1" });
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/things?x=1",
      body: '{"name":"Ada"}',
    });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer t",
    });
    expect(request?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(handled).toHaveLength(1);
  });

  it("answers a string body as text with the handler's headers, and a handler's throw as a 500", async () => {
    const text = await fetch(`${emulator.url}/text`);
    expect(text.status).toBe(201);
    expect(text.headers.get("content-type")).toBe("text/plain");
    expect(text.headers.get("x-a")).toBe("1");
    expect(await text.text()).toBe("plain");
    const thrown = await fetch(`${emulator.url}/throw`);
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ error: { message: "Error: service bug" } });
    expect(emulator.requests.map((r) => r.path)).toEqual(["/text", "/throw"]);
  });
});

describe("startHttpEmulator: fail()", () => {
  it("fails the next request with a 500 by default, before the service sees it", async () => {
    emulator.fail();
    const failed = await fetch(`${emulator.url}/a`, { method: "POST", body: "1" });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { message: "injected failure" } });
    const next = await fetch(`${emulator.url}/b`, { method: "POST", body: "2" });
    expect(next.status).toBe(200);
    await next.arrayBuffer();
    expect(emulator.requests.map((r) => r.body)).toEqual(["1", "2"]);
    expect(handled.map((r) => r.body)).toEqual(["2"]);
  });

  it("takes times, status, body and headers", async () => {
    emulator.fail({ times: 2, status: 429, body: "slow down", headers: { "retry-after": "3" } });
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${emulator.url}/x`);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("3");
      expect(await response.text()).toBe("slow down");
    }
    const third = await fetch(`${emulator.url}/x`);
    expect(third.status).toBe(200);
    await third.arrayBuffer();
    expect(handled).toHaveLength(1);
  });

  it("fails every request with times: Infinity, until reset", async () => {
    emulator.fail({ times: Number.POSITIVE_INFINITY, status: 503 });
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${emulator.url}/x`);
      expect(response.status).toBe(503);
      await response.arrayBuffer();
    }
    expect(handled).toHaveLength(0);
    emulator.reset();
    expect((await fetch(`${emulator.url}/x`)).status).toBe(200);
  });

  it("rejects a negative count, and survives a header value Node refuses", async () => {
    expect(() => emulator.fail({ times: -1 })).toThrow(RangeError);
    emulator.fail({ headers: { "x-bad": "a\r\nb" } });
    const broken = await failure(fetch(`${emulator.url}/x`));
    expect(broken.error).toBeInstanceOf(TypeError);
    const next = await fetch(`${emulator.url}/x`);
    expect(next.status).toBe(200);
  });
});

describe("startHttpEmulator: delay()", () => {
  it("holds the answer, not the work: a client that gives up has still had its effect", async () => {
    emulator.delay(300);
    const started = performance.now();
    const late = await fetch(`${emulator.url}/slow`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(late.status).toBe(200);
    await late.arrayBuffer();

    const gaveUp = await failure(
      fetch(`${emulator.url}/lost`, { method: "POST", signal: AbortSignal.timeout(50) }),
    );
    expect(gaveUp.error.name).toBe("TimeoutError");
    expect(handled.map((r) => r.path)).toEqual(["/slow", "/lost"]);
  });

  it("turns off with delay(0), and rejects a negative delay", async () => {
    emulator.delay(5000);
    emulator.delay(0);
    const started = performance.now();
    await (await fetch(`${emulator.url}/x`)).arrayBuffer();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(() => emulator.delay(-1)).toThrow(RangeError);
  });
});

describe("startHttpEmulator: hang()", () => {
  it("accepts requests and never answers them; the service never sees them", async () => {
    emulator.hang();
    const started = performance.now();
    const hung = await failure(fetch(`${emulator.url}/x`, { signal: AbortSignal.timeout(200) }));
    expect(hung.error.name).toBe("TimeoutError");
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(emulator.requests).toHaveLength(1);
    expect(handled).toHaveLength(0);
  });

  it("reset() cuts the requests still hung and answers again", async () => {
    emulator.hang();
    const pending = failure(fetch(`${emulator.url}/x`));
    await expect.poll(() => emulator.requests.length).toBe(1);
    emulator.reset();
    const cut = await pending;
    expect(cut.error).toBeInstanceOf(TypeError); // fetch failed: the other side closed
    const next = await fetch(`${emulator.url}/y`);
    expect(next.status).toBe(200);
    expect(emulator.requests.map((r) => r.path)).toEqual(["/y"]);
  });
});

describe("startHttpEmulator: down() and up()", () => {
  it("refuses connections while down, and listens on the same port after up()", async () => {
    const { port, url } = emulator;
    await (await fetch(`${url}/before`)).arrayBuffer(); // leaves a pooled keep-alive connection
    emulator.fail({ times: 3 });
    await emulator.down();
    // The pooled connection was cut by down(): a request may meet it before it notices; the first one
    // that opens a new connection is refused.
    let refused: string | undefined;
    for (let i = 0; i < 3 && refused !== "ECONNREFUSED"; i++) {
      refused = (await failure(fetch(`${url}/while-down`))).code;
    }
    expect(refused).toBe("ECONNREFUSED");
    await emulator.up();
    expect(emulator.port).toBe(port);
    const back = await fetch(`${url}/after`);
    expect(back.status).toBe(200); // up() cleared the failures
    expect(emulator.requests.map((r) => r.path)).toEqual(["/before", "/after"]);
  });

  it("down() cuts a hung request, and down() twice is harmless", async () => {
    emulator.hang();
    const pending = failure(fetch(`${emulator.url}/x`));
    await expect.poll(() => emulator.requests.length).toBe(1);
    await emulator.down();
    await emulator.down();
    expect((await pending).error).toBeInstanceOf(TypeError);
  });
});

describe("startHttpEmulator: reset()", () => {
  it("forgets requests, clears faults, sends delayed answers at once and clears the service's state", async () => {
    await (await fetch(`${emulator.url}/x`)).arrayBuffer();
    const before = resets;
    emulator.delay(60_000);
    const started = performance.now();
    const delayed = fetch(`${emulator.url}/delayed`);
    await expect.poll(() => handled.length).toBe(2);
    emulator.fail({ times: 5 });
    emulator.reset();
    expect((await delayed).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(emulator.requests).toEqual([]);
    expect(resets).toBe(before + 1);
    expect((await fetch(`${emulator.url}/z`)).status).toBe(200);
  });
});

describe("startHttpEmulator: robustness and close()", () => {
  it("survives a client that leaves in the middle of a body", async () => {
    const socket = connect(emulator.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("POST /partial HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc");
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
    socket.once("error", () => {});
    const next = await fetch(`${emulator.url}/next`);
    expect(next.status).toBe(200);
    expect(handled.map((r) => r.path)).toEqual(["/next"]);
  });

  it("listens on the port it is given", async () => {
    const probe = await startHttpEmulator({}, () => ({ status: 204 }));
    const { port } = probe;
    await probe.close();
    const fixed = await startHttpEmulator({ port }, () => ({ status: 204 }));
    try {
      expect(fixed.port).toBe(port);
      expect((await fetch(`${fixed.url}/`)).status).toBe(204);
    } finally {
      await fixed.close();
    }
  });

  it("rejects when the port is taken", async () => {
    await expect(
      startHttpEmulator({ port: emulator.port }, () => ({ status: 204 })),
    ).rejects.toThrow(/EADDRINUSE/);
  });

  it("closes at once with keep-alive, hung and delayed connections open", async () => {
    const other = await startHttpEmulator({}, () => ({ status: 200, body: { ok: true } }));
    // A keep-alive connection left idle in fetch's pool.
    await (await fetch(`${other.url}/idle`)).arrayBuffer();
    other.delay(60_000);
    const delayed = failure(fetch(`${other.url}/delayed`));
    await expect.poll(() => other.requests.length).toBe(2);
    other.hang();
    const hung = failure(fetch(`${other.url}/hung`));
    await expect.poll(() => other.requests.length).toBe(3);

    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(500);
    // Neither client is left waiting: both see the connection go.
    expect((await hung).error).toBeInstanceOf(TypeError);
    expect((await delayed).error).toBeInstanceOf(TypeError);
    expect((await failure(fetch(`${other.url}/after`))).code).toBe("ECONNREFUSED");
    await other.close(); // twice is harmless
    await expect(other.up()).rejects.toThrow(/closed/);
  });
});

describe("startHttpEmulator: bodies and dropped answers", () => {
  it("records a gzipped body as the text it carries, and a body that does not inflate as empty", async () => {
    const send = (body: Uint8Array) =>
      fetch(`${emulator.url}/gz`, {
        method: "POST",
        headers: { "content-encoding": "gzip" },
        body: body as BodyInit,
      }).then((response) => response.arrayBuffer());
    await send(gzipSync('{"hello":"wörld"}'));
    await send(new TextEncoder().encode("not gzip"));
    expect(handled.map((request) => request.body)).toEqual(['{"hello":"wörld"}', ""]);
  });

  it("cuts the connection when the handler answers drop: the effect happened, the answer is lost", async () => {
    const { code } = await failure(fetch(`${emulator.url}/drop`, { method: "POST", body: "{}" }));
    expect(code).toBeDefined();
    expect(handled.map((request) => request.path)).toEqual(["/drop"]);
  });
});
