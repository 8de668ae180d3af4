import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, parseConfig } from "../../src/config.ts";
import type { Logger } from "../../src/log.ts";
import { type RunningServer, startServer, type TestHooks } from "../../src/server.ts";

export type TestServer = RunningServer & { dataDir: string; logs: string[]; close: () => Promise<void> };

/** CAMPFIRE_READ_CACHE=off runs the suite with every read going to SQLite (test/run.sh does both). */
export const TEST_READ_CACHE = parseConfig({ CAMPFIRE_READ_CACHE: process.env.CAMPFIRE_READ_CACHE }).readCache;

export const makeDataDir = (): string => mkdtempSync(join(tmpdir(), "campfire-test-"));

/** A real server on a random loopback port with its own SQLite file; log lines are kept for assertions. */
export function startTestServer(dataDir = makeDataDir()): TestServer {
  return startConfiguredTestServer({}, dataDir);
}

/** The same test server with some configuration set, as environment variables would (e.g. `publicUrl` for CAMPFIRE_URL). */
export function startConfiguredTestServer(
  config: Partial<Omit<Config, "dataDir">>,
  dataDir = makeDataDir(),
  hooks: TestHooks = {},
): TestServer {
  const logs: string[] = [];
  const log: Logger = (level, message, fields) =>
    void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {}, (_, v) => (v instanceof Error ? v.stack : v))}`);
  const running = startServer(
    { ...parseConfig({}), readCache: TEST_READ_CACHE, port: 0, host: "127.0.0.1", ...config, dataDir },
    log,
    hooks,
  );
  return {
    ...running,
    dataDir,
    logs,
    close: async () => {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
