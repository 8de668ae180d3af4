import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort, run } from "../helpers/processes.ts";
import { startConfiguredTestServer } from "../helpers/server.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const server = startConfiguredTestServer({ port: freePort() });
afterAll(() => server.close());

test("healthcheck exits 0 while the server answers /up, and 1 with the reason when nothing listens", async () => {
  const up = await run([process.execPath, MAIN, "healthcheck", "--port", String(server.server.port)], { env: { PATH: process.env.PATH! } });
  expect({ code: up.exitCode, err: up.stderr }).toEqual({ code: 0, err: "" });
  const port = freePort();
  const down = await run([process.execPath, MAIN, "healthcheck", "--port", String(port)], { env: { PATH: process.env.PATH! } });
  expect(down.exitCode).toBe(1);
  expect(down.stderr).toStartWith(`campfire: http://127.0.0.1:${port}/up answered `);
});
