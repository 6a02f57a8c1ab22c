// A tour of composeEvents with no accounts and no network: four "services" simulated in-process.
// Run it with `npm run demo` at the repository's root.
import { composeEvents, type DispatchReport, defineRecipe, skip } from "@auth-recipes/core";

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

// A mailer that takes 120 ms.
const welcomeEmail = defineRecipe({
  name: "welcome-email",
  events: {
    createUser: async ({ user }, { signal }) => {
      if (!user.email) return skip("no email address");
      await sleep(120, signal);
    },
  },
});

// A CRM that answers 503 twice, then succeeds: retried with backoff.
let crmCalls = 0;
const crm = defineRecipe({
  name: "crm",
  retry: { retries: 3, minDelayMs: 50 },
  events: {
    createUser: async () => {
      crmCalls++;
      await sleep(30);
      if (crmCalls <= 2) throw Object.assign(new Error("Service Unavailable"), { status: 503 });
    },
  },
});

// A chat webhook that hangs: cut at its 300 ms timeout, and it does not hold up the others.
const chat = defineRecipe({
  name: "chat",
  timeoutMs: 300,
  events: { createUser: (_message, { signal }) => sleep(60_000, signal) },
});

// A plain next-auth events object, as apps write them today.
const audit = {
  createUser: async ({ user }: { user: { id?: string } }) => {
    console.log(`  audit: user ${user.id} created`);
  },
};

function print(report: DispatchReport): void {
  console.log(`\n${report.event} settled in ${report.durationMs.toFixed(0)} ms:`);
  for (const r of report.results) {
    const detail = r.error?.message ?? r.reason ?? "";
    console.log(
      `  ${r.recipe.padEnd(14)} ${r.status.padEnd(9)} ${String(r.attempts)} attempt(s) ${r.durationMs.toFixed(0).padStart(5)} ms  ${detail}`,
    );
  }
}

const events = composeEvents([welcomeEmail, crm, chat, audit], {
  timeoutMs: 2_000,
  onSettled: print,
  onError: () => {}, // the report above shows the failures
});

console.log("Composed events:", Object.keys(events).join(", "));
console.log("Sequential, the handlers would take 120 + 30×3 + backoff + a hang that never ends.");
const t0 = performance.now();
await events.createUser?.({ user: { id: "user_1", email: "ada@example.test", name: "Ada" } });
console.log(
  `\nnext-auth would have waited ${(performance.now() - t0).toFixed(0)} ms for createUser.`,
);

await events.createUser?.({ user: { id: "user_2", name: "No Email" } });
