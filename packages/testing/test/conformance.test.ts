// Each check, run directly against one deliberately broken recipe, must reject: a check that cannot fail
// proves nothing. The reference recipe passing every check is in reference.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConformanceError,
  checkDelivery,
  checkHostileInput,
  checkIdempotentRetry,
  checkNoSecretsInErrors,
  checkNothingPrinted,
  checkRecipeShape,
  checkRequiredOptions,
  checkUpstreamFailure,
  conformanceChecks,
  nextAuthHost,
  type RecipeHost,
} from "../src/index.ts";
import {
  errorLosingHost,
  idleHost,
  optionsLosingHost,
  waitUntilHost,
  waitUntilLosingHost,
} from "./support/hosts.ts";
import { startWebhookEmulator, type WebhookEmulator } from "./support/webhook.ts";
import { webhookConfig } from "./support/webhook-config.ts";

let hooks: WebhookEmulator;
beforeAll(async () => {
  hooks = await startWebhookEmulator();
});
afterAll(() => hooks.close());

describe("checkRecipeShape", () => {
  it("passes the reference recipe", async () => {
    await checkRecipeShape(webhookConfig(), hooks);
  });

  it("fails a recipe with the wrong name", async () => {
    await expect(checkRecipeShape(webhookConfig({ name: "web-hook" }), hooks)).rejects.toThrow(
      /named "web-hook", expected "webhook"/,
    );
  });

  it("fails a recipe with an unknown event", async () => {
    await expect(checkRecipeShape(webhookConfig({ unknownEvent: true }), hooks)).rejects.toThrow(
      /unknown event\(s\) "createdUser"/,
    );
  });

  it("fails a recipe whose handler is not a function", async () => {
    await expect(
      checkRecipeShape(webhookConfig({ handlerNotAFunction: true }), hooks),
    ).rejects.toThrow(/signIn handler is string/);
  });

  it("fails a factory that throws with valid options, or handles no event", async () => {
    const broken = webhookConfig({}, { options: (h) => ({ url: "", token: h.token }) });
    await expect(checkRecipeShape(broken, hooks)).rejects.toThrow(
      /factory threw with the valid options: TypeError/,
    );
    const idle = webhookConfig(
      {},
      { options: (h) => ({ url: h.hookUrl, token: h.token, events: [] }) },
    );
    await expect(checkRecipeShape(idle, hooks)).rejects.toThrow(/handles no event/);
  });
});

describe("checkRequiredOptions", () => {
  it("passes the reference recipe", async () => {
    await checkRequiredOptions(webhookConfig(), hooks);
  });

  it("fails a factory that accepts a missing option", async () => {
    await expect(
      checkRequiredOptions(webhookConfig({ noValidation: true }), hooks),
    ).rejects.toThrow('without option "url" the factory did not throw');
  });

  it("fails a factory that throws something other than a TypeError", async () => {
    await expect(
      checkRequiredOptions(webhookConfig({ plainErrorForMissingOption: true }), hooks),
    ).rejects.toThrow(/not a TypeError/);
  });

  it("fails a TypeError that does not name the option", async () => {
    await expect(
      checkRequiredOptions(webhookConfig({ unnamedMissingOption: true }), hooks),
    ).rejects.toThrow(/does not name it/);
  });
});

describe("checkDelivery", () => {
  it("passes the reference recipe, and sees what the emulator received", async () => {
    await checkDelivery(webhookConfig(), hooks);
    // The emulator was reset before each event: the last one's delivery is all that is left.
    // Events run in next-auth's order (signIn before createUser).
    expect(hooks.deliveries.map((delivery) => delivery.body.event)).toEqual(["createUser"]);
  });

  it("fails a recipe that never delivers", async () => {
    const started = performance.now();
    await expect(checkDelivery(webhookConfig({ neverDelivers: true }), hooks)).rejects.toThrow(
      /signIn was not delivered to the emulator: Error: 0 deliveries of signIn/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("fails a recipe whose handler fails on the default message", async () => {
    const config = webhookConfig(
      {},
      { options: (h) => ({ url: `${h.url}/nowhere`, token: h.token }) },
    );
    await expect(checkDelivery(config, hooks)).rejects.toThrow(
      /signIn failed: WebhookError: the endpoint answered 404/,
    );
  });
});

describe("checkUpstreamFailure", () => {
  it.each(["error", "hang", "down"] as const)("passes the reference recipe (%s)", async (fault) => {
    await checkUpstreamFailure(webhookConfig(), hooks, fault);
  });

  it("fails a recipe that ignores its signal when the upstream hangs, and measures how long it ran", async () => {
    const started = performance.now();
    await expect(
      checkUpstreamFailure(webhookConfig({ ignoresSignal: true }), hooks, "hang"),
    ).rejects.toThrow(
      /the signIn, createUser handler\(s\) were still running \d+ ms after the dispatch, with a 400 ms timeout/,
    );
    // It waited the timeout and its margin, no more.
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it("fails a recipe that swallows the upstream's errors", async () => {
    await expect(
      checkUpstreamFailure(webhookConfig({ swallowsErrors: true }), hooks, "error"),
    ).rejects.toThrow(/signIn ended fulfilled and reached onError 0 time\(s\)/);
  });

  it("fails a recipe that leaves a promise to reject unhandled, and gives the runner its listeners back", async () => {
    const before = process.listeners("unhandledRejection");
    await expect(
      checkUpstreamFailure(webhookConfig({ strayPromise: true }), hooks, "error"),
    ).rejects.toThrow(/unhandled rejection\(s\).*ping answered 500/);
    expect(process.listeners("unhandledRejection")).toEqual(before);
  });

  it("holds the recipe to the check's timeout, whatever timeout the recipe sets itself", async () => {
    const started = performance.now();
    await checkUpstreamFailure(
      webhookConfig({ timeoutMs: 60_000 }, { timeoutMs: 200 }),
      hooks,
      "hang",
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("checkHostileInput", () => {
  it("passes the reference recipe", async () => {
    await checkHostileInput(webhookConfig(), hooks);
  });

  it("fails a recipe that throws a TypeError on a user without a name", async () => {
    await expect(
      checkHostileInput(webhookConfig({ crashesOnNoName: true }), hooks),
    ).rejects.toThrow(
      /crashed on hostile input[\s\S]*createUser with hostileUsers.noName: TypeError/,
    );
  });

  it("lets a handler that hangs on hostile input (and stops at its signal) pass: a timeout is not a crash", async () => {
    await checkHostileInput(webhookConfig({ hangsOnMarkup: true }), hooks);
  });

  it("fails a recipe that injects hostile input into what it sends", async () => {
    await expect(
      checkHostileInput(webhookConfig({ concatenatesJson: true }), hooks),
    ).rejects.toThrow(/injected at the service: a body that is not JSON/);
  });
});

describe("checkNoSecretsInErrors", () => {
  it("passes the reference recipe", async () => {
    await checkNoSecretsInErrors(webhookConfig(), hooks);
  });

  it("fails a recipe that puts its token in an error message, without printing the token", async () => {
    const failure = checkNoSecretsInErrors(webhookConfig({ leaksToken: true }), hooks);
    await expect(failure).rejects.toThrow(/contains the secret whse…/);
    await expect(failure).rejects.not.toThrow(/reference_secret/);
  });

  it("fails a recipe that puts the user's email address in an error message's cause", async () => {
    // core redacts addresses from the RecipeError's own message; the cause is kept as thrown.
    await expect(
      checkNoSecretsInErrors(webhookConfig({ leaksEmail: true }), hooks),
    ).rejects.toThrow(/contains the email address of the user/);
  });

  it("fails a recipe whose errors never reach onError: there is nothing to check", async () => {
    await expect(
      // A generous timeout: on a loaded machine a 400 ms attempt can time out, and a timeout does
      // reach onError (there would then be something to check).
      checkNoSecretsInErrors(webhookConfig({ swallowsErrors: true }, { timeoutMs: 5000 }), hooks),
    ).rejects.toThrow(/nothing to check/);
  });
});

describe("checkNothingPrinted", () => {
  it("passes the reference recipe", async () => {
    await checkNothingPrinted(webhookConfig(), hooks);
  });

  it("fails a recipe whose clean message hides the user's email address in a printed field", async () => {
    const config = webhookConfig({ printsEmail: true });
    // The messages are clean: only what a logger prints shows the address.
    await checkNoSecretsInErrors(config, hooks);
    await expect(checkNothingPrinted(config, hooks)).rejects.toThrow(
      /printed by (console|inspect|json|pino) contains the email address of the user/,
    );
  });
});

describe("checkIdempotentRetry", () => {
  it("passes the reference recipe", async () => {
    await checkIdempotentRetry(webhookConfig(), hooks);
  });

  it("fails a recipe whose idempotency key changes with each attempt", async () => {
    await expect(
      checkIdempotentRetry(webhookConfig({ keyPerAttempt: true }), hooks),
    ).rejects.toThrow(/left 4 effect\(s\) instead of 2: derive an idempotency key/);
  });

  it("fails an effects count that counts nothing", async () => {
    await expect(
      checkIdempotentRetry(webhookConfig({}, { effects: () => 0 }), hooks),
    ).rejects.toThrow(/counted nothing/);
  });
});

describe("conformanceChecks", () => {
  it("lists every check, the idempotency check only with effects", () => {
    const titles = conformanceChecks(webhookConfig()).map((check) => check.title);
    expect(titles).toHaveLength(10);
    expect(titles[0]).toContain('named "webhook"');
    const without = conformanceChecks(webhookConfig({}, { effects: undefined }));
    expect(without.map((check) => check.title)).toEqual(
      titles.filter((title) => !title.includes("duplicate")),
    );
  });

  it("passes, in its order, a recipe that delivers its failed calls later", async () => {
    // Such a recipe's late deliveries land during whichever check comes next; counted by the
    // idempotency check they would look like duplicates. Run after a check that fails deliveries, it
    // does fail: the order is what keeps the suite fair to a recipe that loses nothing.
    const kept: RequestInit[] = [];
    const config = webhookConfig({ keepsFailedCalls: kept });
    for (const check of conformanceChecks(config)) await check.run(hooks);
    await checkNoSecretsInErrors(config, hooks);
    expect(kept.length).toBeGreaterThan(0);
    await expect(checkIdempotentRetry(config, hooks)).rejects.toThrow(/effect\(s\) instead of/);
  }, 60_000);

  it("rejects a timeout that is not a positive number", () => {
    expect(() => conformanceChecks(webhookConfig({}, { timeoutMs: 0 }))).toThrow(RangeError);
  });

  it("fails with a ConformanceError", async () => {
    await expect(checkRecipeShape(webhookConfig({ name: "x" }), hooks)).rejects.toBeInstanceOf(
      ConformanceError,
    );
  });
});

describe("hosts", () => {
  it("dispatches every event of every check through the given host", async () => {
    const host = waitUntilHost();
    for (const check of conformanceChecks(webhookConfig({}, { host }))) await check.run(hooks);
    // Delivery: 2 events; failures: 3 × 2; hostile: 2 × hostile users; secrets; retries: 3 × 2.
    expect(host.dispatches).toBeGreaterThan(20);
    // waitUntil was really used: each dispatch handed its settling promise over.
    expect(host.handedOver).toBe(host.dispatches);
  });

  it("defaults to next-auth", async () => {
    expect(nextAuthHost.name).toBe("next-auth");
    await checkDelivery(webhookConfig({}, { host: nextAuthHost }), hooks);
    expect(hooks.deliveries).toHaveLength(1);
  });

  it("fails a check when the host loses the recipe's errors", async () => {
    await expect(
      checkUpstreamFailure(webhookConfig({}, { host: errorLosingHost }), hooks, "error"),
    ).rejects.toThrow(/signIn ended rejected and reached onError 0 time\(s\)/);
  });

  it("fails a check, naming the host, when the host reports nothing", async () => {
    await expect(checkDelivery(webhookConfig({}, { host: idleHost }), hooks)).rejects.toThrow(
      "the idle host reported nothing for signIn",
    );
  });

  it("fails a check, naming the host, when the host throws", async () => {
    const throwing = {
      name: "throwing",
      dispatch: () => Promise.reject(new Error("no adapter")),
    };
    await expect(checkDelivery(webhookConfig({}, { host: throwing }), hooks)).rejects.toThrow(
      "the throwing host threw dispatching signIn: Error: no adapter",
    );
  });

  it("fails a check at once, naming the host and what it must do, when the host loses the options", async () => {
    for (const host of [optionsLosingHost, waitUntilLosingHost]) {
      const started = performance.now();
      const failure = checkDelivery(webhookConfig({}, { host }), hooks);
      await expect(failure).rejects.toBeInstanceOf(ConformanceError);
      await expect(failure).rejects.toThrow(
        `the ${host.name} host reported nothing for signIn: a host passes the options its dispatch receives to its library unchanged`,
      );
      // Not a hang: the suite does not wait for a report that cannot come.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("fails a check, naming the host, when the host resolves without a durationMs", async () => {
    const timeless = {
      name: "timeless",
      dispatch: async (...args: Parameters<RecipeHost["dispatch"]>) => {
        await nextAuthHost.dispatch(...args);
      },
    };
    await expect(
      checkDelivery(webhookConfig({}, { host: timeless as never }), hooks),
    ).rejects.toThrow("the timeless host resolved without a durationMs for signIn");
  });

  it("refuses a host without a name or a dispatch function, at configuration time", () => {
    for (const host of [{ name: "", dispatch: nextAuthHost.dispatch }, { name: "x" }, null]) {
      expect(() => conformanceChecks(webhookConfig({}, { host: host as never }))).toThrow(
        /option "host" must be an object with a "name" and a "dispatch" function/,
      );
    }
  });
});
