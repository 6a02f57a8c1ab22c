// The backends the worker suite runs on: BullMQ's Redis backend (the default) and its PostgreSQL backend.

import { startRedisServer } from "@auth-recipes/testing";
import { createPostgresBackend, Queue } from "bullmq";
import type { RecipeWorkerOptions } from "../src/index.ts";
import { postgresBin, startPostgres } from "./postgres-server.ts";

export interface TestBackend {
  /** A producer's queue on this backend. */
  queue(): Queue;
  /** What startRecipeWorker needs to reach it. */
  worker: Pick<RecipeWorkerOptions, "connection" | "backend">;
  close(): Promise<void>;
}

async function redis(): Promise<TestBackend> {
  const server = await startRedisServer();
  return {
    queue() {
      const queue = new Queue("auth-recipes", {
        connection: { ...server.connection, enableOfflineQueue: false },
      });
      queue.on("error", () => {});
      return queue;
    },
    worker: { connection: server.connection },
    close: () => server.close(),
  };
}

async function postgres(): Promise<TestBackend> {
  const server = await startPostgres();
  const connection = { connectionString: server.url, migrate: true };
  const Pg = Queue as unknown as new (...args: unknown[]) => Queue;
  return {
    queue() {
      const queue = new Pg("auth-recipes", { connection }, createPostgresBackend);
      queue.on("error", () => {});
      return queue;
    },
    worker: { connection: connection as never, backend: createPostgresBackend },
    close: () => server.close(),
  };
}

/** Redis always; PostgreSQL where it is installed (CI installs it). */
export const backends: Array<{ name: string; start: () => Promise<TestBackend> }> = [
  { name: "redis", start: redis },
  ...(postgresBin() ? [{ name: "postgres", start: postgres }] : []),
];
