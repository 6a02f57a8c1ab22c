import { composeEvents, type HandlerContext, type RecipeError } from "@auth-recipes/core";
import {
  defaultMessage,
  events,
  type RedisServer,
  startRedisServer,
  TOKEN_MARKERS,
} from "@auth-recipes/testing";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EnqueueError, enqueueRecipes, type RecipeJobData, recipeJobId } from "../src/index.ts";
import { freePort } from "./free-port.ts";
import {
  type Call,
  everythingStored,
  producerQueue,
  recording,
  redisClient,
  waitFor,
} from "./helpers.ts";

let redis: RedisServer;
let queue: Queue;
let client: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  queue = producerQueue(redis);
  client = redisClient(redis);
});
afterEach(async () => {
  await client.flushall();
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await redis.close();
});

function context(dispatchId: string): HandlerContext<"createUser"> {
  return {
    event: "createUser",
    recipe: "bullmq",
    attempt: 1,
    signal: new AbortController().signal,
    deadline: Date.now() + 5_000,
    dispatchId,
  };
}

async function jobs(): Promise<RecipeJobData[]> {
  const all = await queue.getJobs(["waiting", "delayed", "prioritized"]);
  return all
    .map((job) => job.data as RecipeJobData)
    .sort((a, b) => a.recipe.localeCompare(b.recipe));
}

describe("enqueueRecipes", () => {
  it("handles exactly the events the recipes handle, and adds one job per recipe for an event", async () => {
    const mail = recording("welcome-email", ["createUser"]);
    const slack = recording("slack", ["createUser", "signIn"]);
    const audit = recording("audit", ["signOut"]);
    const recipe = enqueueRecipes([mail, slack, false, audit], { queue });
    expect(recipe.name).toBe("bullmq");
    expect(Object.keys(recipe.events).sort()).toEqual(["createUser", "signIn", "signOut"]);

    const composed = composeEvents([recipe]);
    await composed.createUser?.(defaultMessage("createUser"));
    const added = await jobs();
    expect(added.map((job) => [job.recipe, job.event])).toEqual([
      ["slack", "createUser"],
      ["welcome-email", "createUser"],
    ]);
    // Both jobs of one dispatch share its id; nothing ran in this process.
    expect(added[0]?.dispatchId).toBe(added[1]?.dispatchId);
    expect(mail.calls).toHaveLength(0);
    const ids = (await queue.getJobs(["waiting"])).map((job) => job.id).sort();
    expect(ids).toEqual(
      [
        recipeJobId(added[0]!.dispatchId, "slack"),
        recipeJobId(added[0]!.dispatchId, "welcome-email"),
      ].sort(),
    );
  });

  it("makes one job per recipe when the same dispatch is enqueued twice", async () => {
    const recipe = enqueueRecipes([recording("a"), recording("b")], { queue });
    const handler = recipe.events.createUser!;
    await handler(defaultMessage("createUser"), context("dispatch-1"));
    await handler(defaultMessage("createUser"), context("dispatch-1"));
    await handler(defaultMessage("createUser"), context("dispatch-2"));
    expect(await queue.count()).toBe(4);
  });

  it("keeps completed jobs for the dedupe window and failed ones as dead letters", async () => {
    const recipe = enqueueRecipes([recording("a")], { queue, dedupeWindowMs: 60_000 });
    await recipe.events.createUser!(defaultMessage("createUser"), context("d"));
    const [job] = await queue.getJobs(["waiting"]);
    expect(job?.opts.removeOnComplete).toEqual({ age: 60 });
    expect(job?.opts.removeOnFail).toBe(false);
  });

  it("derives ids BullMQ accepts from any recipe name, different for different pairs", async () => {
    const names = ["a:b", "123", "a.b", "a~b", "ünï cödé 🎉", "a%3Ab", "x".repeat(200)];
    const recipe = enqueueRecipes(
      names.map((name) => recording(name)),
      { queue },
    );
    await recipe.events.createUser!(defaultMessage("createUser"), context("42"));
    const stored = await queue.getJobs(["waiting"]);
    expect(stored.map((job) => (job.data as RecipeJobData).recipe).sort()).toEqual(
      [...names].sort(),
    );
    const ids = new Set(stored.map((job) => job.id));
    expect(ids.size).toBe(names.length);
    for (const id of ids) {
      expect(id).not.toContain(":");
      expect(id).not.toMatch(/^\d+$/);
    }
  });

  it("stores no OAuth token, session token or JWT claim beyond the identity in any Redis key", async () => {
    const recipe = enqueueRecipes(
      [recording("r", ["signIn", "signOut", "linkAccount", "session"])],
      { queue },
    );
    const composed = composeEvents([recipe]);
    await composed.signIn?.(events.signInOAuth());
    await composed.linkAccount?.(events.linkAccount());
    await composed.signOut?.(events.signOutWithToken());
    await composed.signOut?.(events.signOutWithSession());
    await composed.session?.(events.session());
    expect(await queue.count()).toBe(5);
    const stored = await everythingStored(client);
    for (const marker of TOKEN_MARKERS) expect(stored).not.toContain(marker);
    expect(stored).not.toContain("jti-user_alice");
    // What recipes read is still there.
    expect(stored).toContain("user_alice");
    expect(stored).toContain("alice@example.test");
    expect(stored).toContain("providerAccountId");
  });

  it("refuses bad configuration when called", () => {
    expect(() => enqueueRecipes([recording("a")], {} as never)).toThrow(
      /\[auth-recipes\/bullmq\] option "queue"/,
    );
    expect(() => enqueueRecipes([recording("a")], { queue, enqueueTimeoutMs: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      enqueueRecipes([{ name: "a", events: { createdUser: () => {} } as never }], { queue }),
    ).toThrow(/unknown event "createdUser"/);
    expect(() => enqueueRecipes([recording("a"), recording("a")], { queue })).toThrow(/unique/);
  });
});

describe("when the queue cannot be reached", () => {
  it("runs the recipes in-process within the enqueue timeout and reports an EnqueueError (Redis never up)", async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const mail = recording("welcome-email");
    const slack = recording("slack");
    const errors: RecipeError[] = [];
    const composed = composeEvents(
      [enqueueRecipes([mail, slack], { queue: nowhere, enqueueTimeoutMs: 300 })],
      {
        onError: (error) => {
          errors.push(error);
        },
      },
    );
    const started = Date.now();
    await composed.createUser?.(defaultMessage("createUser"));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1_000);
    expect(mail.calls).toHaveLength(1);
    expect(slack.calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.recipe).toBe("bullmq");
    const cause = errors[0]?.cause;
    expect(cause).toBeInstanceOf(EnqueueError);
    expect(cause instanceof EnqueueError && cause.fallback).toBe("inline");
    expect(errors[0]?.message).toMatch(/could not enqueue .*ran welcome-email, slack in-process/);
    await nowhere.close();
  });

  it("falls back at once when a ready connection has gone down, and adds nothing later", async () => {
    const own = await startRedisServer();
    // ioredis's defaults (offline queue on): a command sent while down would wait, then run on reconnect.
    const ownQueue = new Queue("auth-recipes", { connection: own.connection });
    ownQueue.on("error", () => {});
    await ownQueue.waitUntilReady();
    const mail = recording("welcome-email");
    const composed = composeEvents(
      [enqueueRecipes([mail], { queue: ownQueue, enqueueTimeoutMs: 2_000 })],
      {
        onError: () => {},
      },
    );
    await own.stop();
    const started = Date.now();
    await composed.createUser?.(defaultMessage("createUser"));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(mail.calls).toHaveLength(1);
    await own.start();
    const status = async () => ((await ownQueue.getBackend().client) as { status: string }).status;
    await waitFor(async () => (await status()) === "ready", 10_000, "the queue to reconnect");
    // Nothing was left in ioredis's offline queue to be sent on reconnect.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ownQueue.count()).toBe(0);
    await ownQueue.close();
    await own.close();
  });

  it("runs the fallback under the dispatch's own id, with each recipe's retry policy", async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const flaky = recording(
      "segment",
      ["createUser"],
      (call) => {
        if (call.context.attempt === 1) throw Object.assign(new Error("503"), { status: 503 });
      },
      { retry: { retries: 2, minDelayMs: 5 } },
    );
    const recipe = enqueueRecipes([flaky], { queue: nowhere, enqueueTimeoutMs: 100 });
    const thrown = await Promise.resolve(
      recipe.events.createUser!(defaultMessage("createUser"), context("dispatch-x")),
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(EnqueueError);
    // The same id as the jobs would have had: an enqueue that landed late dedupes at Segment and Stripe.
    expect(flaky.calls.map((call) => [call.context.dispatchId, call.context.attempt])).toEqual([
      ["dispatch-x", 1],
      ["dispatch-x", 2],
    ]);
    expect(thrown instanceof EnqueueError && thrown.results?.[0]).toMatchObject({
      status: "fulfilled",
      attempts: 2,
    });
    await nowhere.close();
  });

  it('with fallback: "none" only reports', async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const mail = recording("welcome-email");
    const errors: RecipeError[] = [];
    const composed = composeEvents(
      [enqueueRecipes([mail], { queue: nowhere, fallback: "none", enqueueTimeoutMs: 200 })],
      {
        onError: (error) => {
          errors.push(error);
        },
      },
    );
    await composed.createUser?.(defaultMessage("createUser"));
    expect(mail.calls).toHaveLength(0);
    expect(errors[0]?.message).toMatch(/dropped welcome-email/);
    const cause = errors[0]?.cause;
    expect(cause instanceof EnqueueError && [cause.fallback, cause.results]).toEqual([
      "none",
      undefined,
    ]);
    await nowhere.close();
  });
});

describe("the fallback option", () => {
  const build = (options: Record<string, unknown>) => () =>
    enqueueRecipes([recording("a")], { queue, ...options } as never);

  it('takes "inline", "none" or the in-process run\'s options, and refuses every other shape naming the option', () => {
    for (const fallback of [
      undefined,
      "inline",
      "none",
      {},
      { timeoutMs: Infinity, retry: true },
    ]) {
      expect(build({ fallback })).not.toThrow();
    }
    expect(
      build({ fallback: { timeoutMs: 50, retry: { retries: 2, minDelayMs: 5 } } }),
    ).not.toThrow();
    const refused: [unknown, ErrorConstructor, RegExp][] = [
      [false, TypeError, /not false: "none" drops the recipes, "inline" \(the default\) runs them/],
      [true, TypeError, /option "fallback" must be "inline", "none" or .*not true/],
      [
        "drop",
        TypeError,
        /option "fallback" must be "inline", "none" or \{ timeoutMs\?, retry\? \}$/,
      ],
      [
        null,
        TypeError,
        /option "fallback" must be "inline", "none" or \{ timeoutMs\?, retry\? \}$/,
      ],
      [[], TypeError, /option "fallback" must be "inline", "none" or/],
      [() => {}, TypeError, /option "fallback" must be "inline", "none" or/],
      [
        { inline: { timeoutMs: 5 } },
        TypeError,
        /option "fallback" has no field "inline": it takes timeoutMs and retry/,
      ],
      [{ timeout: 5 }, TypeError, /has no field "timeout"/],
      [
        { timeoutMs: 0 },
        RangeError,
        /option "fallback.timeoutMs" must be a positive number of ms or Infinity/,
      ],
      [{ timeoutMs: -1 }, RangeError, /option "fallback.timeoutMs"/],
      [{ timeoutMs: Number.NaN }, RangeError, /option "fallback.timeoutMs"/],
      [{ timeoutMs: "5000" }, TypeError, /option "fallback.timeoutMs" must be a number of ms/],
      [{ retry: "yes" }, TypeError, /option "fallback.retry" must be a boolean or a retry policy/],
      [{ retry: null }, TypeError, /option "fallback.retry"/],
      [{ retry: { retries: -1 } }, RangeError, /option "fallback.retry" needs whole retries/],
      [{ retry: { factor: 0.5 } }, RangeError, /option "fallback.retry" needs/],
    ];
    for (const [fallback, type, message] of refused) {
      const attempt = build({ fallback });
      expect(attempt, JSON.stringify(fallback)).toThrow(type);
      expect(attempt, JSON.stringify(fallback)).toThrow(/^\[auth-recipes\/bullmq\] /);
      expect(attempt, JSON.stringify(fallback)).toThrow(message);
    }
    // A key as long as a page is cut in the message.
    expect(build({ fallback: { ["k".repeat(10_000)]: 1 } })).toThrow(/^.{0,200}$/);
  });

  it("refuses an `inline` option, naming where the in-process run's options go", () => {
    for (const inline of [{ timeoutMs: 5_000 }, {}, undefined]) {
      expect(build({ inline })).toThrow(TypeError);
      expect(build({ inline })).toThrow(
        /^\[auth-recipes\/bullmq\] there is no option "inline": the in-process run's options are "fallback": \{ timeoutMs, retry \}$/,
      );
    }
  });

  it("refuses the other options' wrong types and ranges, naming the option", () => {
    const refused: [Record<string, unknown>, ErrorConstructor, RegExp][] = [
      [
        { enqueueTimeoutMs: 0 },
        RangeError,
        /option "enqueueTimeoutMs" must be a positive number of ms, at most 2\^31 - 1/,
      ],
      [{ enqueueTimeoutMs: Infinity }, RangeError, /option "enqueueTimeoutMs"/],
      [{ enqueueTimeoutMs: 2 ** 31 }, RangeError, /option "enqueueTimeoutMs"/],
      [{ enqueueTimeoutMs: "1000" }, TypeError, /option "enqueueTimeoutMs" must be a number/],
      [{ dedupeWindowMs: -5 }, RangeError, /option "dedupeWindowMs"/],
      [
        { timeoutMs: 0 },
        RangeError,
        /option "timeoutMs" must be a positive number of ms or Infinity/,
      ],
      [{ timeoutMs: "10s" }, TypeError, /option "timeoutMs" must be a number/],
      [{ keepFailed: -1 }, RangeError, /option "keepFailed" must be true or a whole number ≥ 0/],
      [{ keepFailed: 1.5 }, RangeError, /option "keepFailed"/],
      [{ keepFailed: false }, TypeError, /option "keepFailed" must be true or a whole number/],
      [{ name: "" }, TypeError, /option "name" must be a non-empty string/],
      [{ queue: {} }, TypeError, /option "queue" must be a BullMQ Queue/],
    ];
    for (const [options, type, message] of refused) {
      expect(build(options), JSON.stringify(options)).toThrow(type);
      expect(build(options), JSON.stringify(options)).toThrow(message);
    }
    expect(
      build({ timeoutMs: Infinity, keepFailed: 0, enqueueTimeoutMs: 2 ** 31 - 1 }),
    ).not.toThrow();
  });

  it("changes nothing of what lands in Redis: the worker, not the fallback, decides a job's retries", async () => {
    const added = async (fallback?: "none" | { timeoutMs?: number; retry?: boolean }) => {
      const recipe = enqueueRecipes([recording("a"), recording("b")], {
        queue,
        ...(fallback === undefined ? {} : { fallback }),
      });
      await recipe.events.createUser!(defaultMessage("createUser"), context("same-dispatch"));
      const stored = (await queue.getJobs(["waiting"])).map((job) => ({
        id: job.id,
        data: job.data as RecipeJobData,
        opts: { attempts: job.opts.attempts, backoff: job.opts.backoff },
      }));
      await client.flushall();
      return stored.sort((x, y) => String(x.id).localeCompare(String(y.id)));
    };
    const plain = await added();
    expect(plain).toHaveLength(2);
    expect(await added({ timeoutMs: 50, retry: true })).toEqual(plain);
    expect(await added("none")).toEqual(plain);
  });

  it("bounds each in-process attempt by fallback.timeoutMs, for recipes without their own", async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const hangs = (_call: Call, signal: AbortSignal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const bare = recording("bare", ["createUser"], hangs);
    const own = recording("own", ["createUser"], () => undefined, { timeoutMs: 4_000 });
    const recipe = enqueueRecipes([bare, own], {
      queue: nowhere,
      enqueueTimeoutMs: 50,
      fallback: { timeoutMs: 150 },
    });
    const started = Date.now();
    const thrown = await Promise.resolve(
      recipe.events.createUser!(defaultMessage("createUser"), context("dispatch-t")),
    ).catch((error: unknown) => error);
    // Well before the handler's own 5 s deadline: the fallback's bound ended the hanging attempt.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(thrown instanceof EnqueueError && thrown.fallback).toBe("inline");
    const deadlineIn = (call: Call | undefined) => (call ? call.context.deadline - call.at : NaN);
    expect(deadlineIn(bare.calls[0])).toBeGreaterThan(100);
    expect(deadlineIn(bare.calls[0])).toBeLessThanOrEqual(150);
    // A recipe's own timeoutMs wins, as in composeEvents; both are capped by the handler's deadline.
    expect(deadlineIn(own.calls[0])).toBeGreaterThan(3_000);
    const results = thrown instanceof EnqueueError ? thrown.results : [];
    expect(results?.map((result) => [result.recipe, result.status])).toEqual([
      ["bare", "rejected"],
      ["own", "fulfilled"],
    ]);
    expect(thrown instanceof Error && thrown.message).toMatch(/failed: bare\)/);
    await nowhere.close();
  });

  it("retries in-process by fallback.retry, for recipes without their own", async () => {
    const nowhere = producerQueue({ connection: { host: "127.0.0.1", port: await freePort() } });
    const failsOnce = (call: Call) => {
      if (call.context.attempt === 1) throw Object.assign(new Error("503"), { status: 503 });
    };
    const bare = recording("bare", ["createUser"], failsOnce);
    const never = recording("never", ["createUser"], failsOnce, { retry: false });
    const run = async (fallback?: { retry: { retries: number; minDelayMs: number } }) => {
      const recipe = enqueueRecipes([bare, never], {
        queue: nowhere,
        enqueueTimeoutMs: 50,
        ...(fallback ? { fallback } : {}),
      });
      return Promise.resolve(
        recipe.events.createUser!(defaultMessage("createUser"), context("dispatch-r")),
      ).catch((error: unknown) => error);
    };
    // Without it, no retry (core's default).
    await run();
    expect(bare.calls).toHaveLength(1);
    bare.calls.length = 0;
    never.calls.length = 0;
    const thrown = await run({ retry: { retries: 2, minDelayMs: 5 } });
    expect(bare.calls.map((call) => [call.context.dispatchId, call.context.attempt])).toEqual([
      ["dispatch-r", 1],
      ["dispatch-r", 2],
    ]);
    expect(never.calls).toHaveLength(1);
    const results = thrown instanceof EnqueueError ? thrown.results : [];
    expect(results?.map((result) => [result.recipe, result.status, result.attempts])).toEqual([
      ["bare", "fulfilled", 2],
      ["never", "rejected", 1],
    ]);
    await nowhere.close();
  });
});
