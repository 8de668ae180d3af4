import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { ADMIN } from "../helpers/fixtures.ts";
import { run } from "../helpers/processes.ts";
import { makeDataDir, TEST_READ_CACHE } from "../helpers/server.ts";

// TLS_CERT / TLS_KEY serve HTTPS directly; a throwaway self-signed certificate stands in for a real one.
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = makeDataDir();
  const [certPath, keyPath] = [join(dataDir, "cert.pem"), join(dataDir, "key.pem")];
  const made = await run([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-keyout",
    keyPath,
    "-out",
    certPath,
  ]);
  expect(made.exitCode).toBe(0);
  server = startServer(
    { ...parseConfig({}), readCache: TEST_READ_CACHE, port: 0, host: "127.0.0.1", dataDir, tls: { certPath, keyPath } },
    () => {},
  );
});

afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const insecureFetch = (path: string, init: RequestInit = {}) =>
  fetch(server.url + path, { ...init, redirect: "manual", tls: { rejectUnauthorized: false } } as RequestInit);

test("over HTTPS the session cookie is Secure as well as HttpOnly and SameSite=Lax", async () => {
  expect(server.url).toStartWith("https://");
  const firstRun = await insecureFetch("/first_run", {
    method: "POST",
    headers: { origin: server.url },
    body: new URLSearchParams({ name: ADMIN.name, email_address: ADMIN.email, password: ADMIN.password }),
  });
  expect(firstRun.status).toBe(303);
  const cookie = firstRun.headers.getSetCookie().find((c) => c.startsWith("session_token="))!;
  expect(cookie).toContain("Secure");
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("SameSite=Lax");
});
