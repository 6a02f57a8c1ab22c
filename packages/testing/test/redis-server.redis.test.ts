// startRedisServer runs the real server: these tests speak RESP to it over a socket, as a client would.
import { connect } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../src/index.ts";

/** Sends one command (RESP array of bulk strings) and resolves with the raw reply. */
function command(server: RedisServer, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.endsWith("\r\n")) {
        socket.end();
        resolve(reply);
      }
    });
    socket.on("error", reject);
    socket.write(
      `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`,
    );
  });
}

const started: RedisServer[] = [];
afterAll(() => Promise.all(started.map((server) => server.close())));

describe("startRedisServer", () => {
  it("runs redis-server on a loopback port, never evicting keys", async () => {
    const redis = await startRedisServer();
    started.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.connection).toEqual({ host: "127.0.0.1", port: redis.port });
    await expect(command(redis, "PING")).resolves.toBe("+PONG\r\n");
    await expect(command(redis, "CONFIG", "GET", "maxmemory-policy")).resolves.toContain(
      "noeviction",
    );
  });

  it("keeps what was written across a restart on the same port, with the append-only file", async () => {
    const redis = await startRedisServer();
    started.push(redis);
    await command(redis, "SET", "job", "welcome-email");
    await redis.stop();
    await expect(command(redis, "PING")).rejects.toThrow(/ECONNREFUSED/);
    await redis.start();
    await expect(command(redis, "GET", "job")).resolves.toBe("$13\r\nwelcome-email\r\n");
  });

  it("persists nothing with appendOnly: false", async () => {
    const redis = await startRedisServer({ appendOnly: false });
    started.push(redis);
    await command(redis, "SET", "job", "x");
    await redis.stop();
    await redis.start();
    await expect(command(redis, "GET", "job")).resolves.toBe("$-1\r\n");
  });

  it("says how to install redis-server when there is none", async () => {
    await expect(startRedisServer({ command: "/nonexistent/redis-server" })).rejects.toThrow(
      "/nonexistent/redis-server is not installed: apt-get install redis-server",
    );
  });

  it("closes: nothing listens on its port any more", async () => {
    const redis = await startRedisServer();
    await redis.close();
    await expect(command(redis, "PING")).rejects.toThrow(/ECONNREFUSED/);
  });
});
