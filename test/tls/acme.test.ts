// Automatic HTTPS against a real ACME server: Debian's Pebble (Let's Encrypt's test CA) with its
// fake DNS (pebble-challtestsrv) pointing chat.example.test at 127.0.0.1. Pebble checks the
// HTTP-01 challenge by connecting to our HTTP_PORT, exactly as Let's Encrypt connects to port 80.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:tls";
import type { Subprocess } from "bun";
import { parseConfig } from "../../src/config.ts";
import { setClock, useRealClock } from "../../src/db/time.ts";
import { startServerWithAutoTls } from "../../src/tls/auto-tls.ts";
import { completeFirstRun } from "../helpers/fixtures.ts";
import { freePort, run } from "../helpers/processes.ts";
import { makeDataDir } from "../helpers/server.ts";
import { openSocket } from "../helpers/socket.ts";

const DOMAIN = "chat.example.test";
const work = makeDataDir();
const ports = { acme: freePort(), acmeManagement: freePort(), dns: freePort(), challenges: freePort(), https: freePort() };
const processes: Subprocess[] = [];
let pebbleCert: string;
let root: string;
const previousTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

async function untilAnswers(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { tls: { rejectUnauthorized: false } });
      return;
    } catch {
      await Bun.sleep(50);
    }
  }
  throw new Error(`${url} never answered`);
}

beforeAll(async () => {
  const made = await run(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
    ].concat(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(work, "pebble.key"), "-out", join(work, "pebble.crt")]),
  );
  expect(made.exitCode).toBe(0);
  pebbleCert = await Bun.file(join(work, "pebble.crt")).text();
  await Bun.write(
    join(work, "pebble.json"),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${ports.acme}`,
        managementListenAddress: `127.0.0.1:${ports.acmeManagement}`,
        certificate: join(work, "pebble.crt"),
        privateKey: join(work, "pebble.key"),
        httpPort: ports.challenges,
        tlsPort: freePort(),
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );
  const quiet = { stdout: "ignore", stderr: "ignore" } as const;
  processes.push(
    Bun.spawn(
      [
        "pebble-challtestsrv",
        "-defaultIPv6",
        "",
        "-dns01",
        `127.0.0.1:${ports.dns}`,
        "-http01",
        "",
        "-https01",
        "",
        "-tlsalpn01",
        "",
      ].concat(["-management", `127.0.0.1:${freePort()}`]),
      quiet,
    ),
    Bun.spawn(["pebble", "-config", join(work, "pebble.json"), "-dnsserver", `127.0.0.1:${ports.dns}`], {
      ...quiet,
      env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" },
    }),
  );
  await untilAnswers(`https://127.0.0.1:${ports.acme}/dir`);
  root = await (await fetch(`https://127.0.0.1:${ports.acmeManagement}/roots/0`, { tls: { rejectUnauthorized: false } })).text();
  // The test's own HTTP and WebSocket clients reach the server by IP, not by its name.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
});

afterAll(async () => {
  useRealClock();
  if (previousTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTlsSetting;
  for (const child of processes) child.kill();
  await run(["rm", "-rf", work]);
});

/** Connects as a browser would to chat.example.test and returns the certificate it was shown, checked against the CA's root. */
function presentedCertificate(): Promise<{ serial: string; authorized: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: ports.https, servername: DOMAIN, ca: root }, () => {
      const certificate = socket.getPeerCertificate();
      resolve({ serial: certificate.serialNumber, authorized: socket.authorized, error: socket.authorizationError?.toString() });
      socket.end();
    });
    socket.on("error", reject);
  });
}

test("TLS_DOMAIN gets a certificate by ACME, serves HTTPS with HSTS, redirects port 80, and renews without dropping an open socket", async () => {
  const config = parseConfig({
    TLS_DOMAIN: DOMAIN,
    ACME_DIRECTORY_URL: `https://127.0.0.1:${ports.acme}/dir`,
    HTTP_PORT: String(ports.challenges),
    PORT: String(ports.https),
    HOST: "127.0.0.1",
    CAMPFIRE_DATA_DIR: join(work, "data"),
  });
  const logs: string[] = [];
  const running = await startServerWithAutoTls(
    { ...config, autoTls: config.autoTls! },
    (level, message, fields) => void logs.push(`${level} ${message}${fields?.error ? `: ${fields.error}` : ""}`),
    { acmeTrustedCa: pebbleCert },
    100,
  );
  try {
    expect(logs).toContain("info certificate obtained");
    const first = await presentedCertificate();
    expect(first).toMatchObject({ authorized: true });
    for (const file of ["acme-account.key", `${DOMAIN}.key`, `${DOMAIN}.crt`])
      expect(statSync(join(config.dataDir, "tls", file)).mode & 0o777).toBe(0o600);

    const base = `https://127.0.0.1:${ports.https}`;
    const up = await fetch(`${base}/up`);
    expect(up.status).toBe(200);
    expect(up.headers.get("strict-transport-security")).toBe("max-age=63072000");
    const redirect = await fetch(`http://127.0.0.1:${ports.challenges}/rooms/1?x=1`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe(`https://${DOMAIN}:${ports.https}/rooms/1?x=1`);

    // A signed-in tab with its live connection open across the renewal.
    const server = { url: base };
    const admin = await completeFirstRun(server as never);
    const socket = await openSocket(server, admin);
    socket.send({ type: "enter", room_id: 1, since: 0 });

    // Not due yet: nothing happens.
    expect(await running.autoTls.renewIfDue()).toBe(false);
    // 70 days on, a 90-day certificate has less than a third of its life left (Pebble's last
    // five years: move past two thirds of whatever it gave).
    const state = (await import("../../src/tls/certificate-files.ts")).readCertificate(running.autoTls.files)!;
    setClock(() => state.validFrom + (state.validTo - state.validFrom) * 0.7);
    const renewed = await running.autoTls.renewIfDue();
    expect({ renewed, logs }).toMatchObject({ renewed: true });
    running.reloadTls();
    useRealClock();

    const second = await presentedCertificate();
    expect(second.authorized).toBe(true);
    expect(second.serial).not.toBe(first.serial);
    // The socket opened before the swap still hears the room.
    const posted = await admin.post("/rooms/1/messages", { body: "still here after the renewal" });
    expect(posted.status).toBe(201);
    await socket.waitFor((frame) => frame.includes("still here after the renewal"));
    socket.close();
  } finally {
    useRealClock();
    await running.stop(1000);
  }
}, 60_000);

test("a domain, directory or email that is not one stops start-up with one line; TLS_DOMAIN with TLS_CERT too", () => {
  for (const [env, message] of [
    [{ TLS_DOMAIN: "not a domain" }, "TLS_DOMAIN: must be a domain name, e.g. chat.example.com"],
    [{ TLS_DOMAIN: "chat.example.com", ACME_DIRECTORY_URL: "http://ca.example.com/dir" }, "ACME_DIRECTORY_URL: must be an https:// URL"],
    [{ TLS_DOMAIN: "chat.example.com", ACME_EMAIL: "nobody" }, "ACME_EMAIL: must be an email address"],
    [
      { TLS_DOMAIN: "chat.example.com", TLS_CERT: join(work, "pebble.crt"), TLS_KEY: join(work, "pebble.key") },
      "TLS_DOMAIN: set either TLS_DOMAIN",
    ],
  ] as const) {
    expect(() => parseConfig(env)).toThrow(message);
  }
  expect(parseConfig({ TLS_DOMAIN: "Chat.Example.com" })).toMatchObject({
    port: 443,
    autoTls: { domain: "chat.example.com", httpPort: 80 },
  });
  expect(parseConfig({ TLS_DOMAIN: "chat.example.com", PORT: "8443" }).port).toBe(8443);
});
