import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { ADMIN, completeFirstRun } from "../helpers/fixtures.ts";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir, type TestServer } from "../helpers/server.ts";
import { WebSocketWithHeaders } from "../helpers/socket.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Sends a sign-in whose body arrives in two parts, on a connection the server has already answered
 * once (so it is surely accepted); resolves with the sign-in's answer once the server has hung up.
 */
function slowSignIn(port: number, beforeSecondHalf: () => Promise<void>): Promise<string> {
  const body = new URLSearchParams({ email_address: ADMIN.email, password: ADMIN.password }).toString();
  const half = Math.floor(body.length / 2);
  return new Promise((resolve) => {
    let received = "";
    let signInStarted = false;
    const socket = connect(port, "127.0.0.1", () => socket.write(`GET /up HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    socket.on("data", async (data) => {
      received += data.toString("latin1");
      if (signInStarted || !received.includes("\r\n\r\nOK")) return;
      signInStarted = true;
      received = "";
      socket.write(
        `POST /session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
      );
      await beforeSecondHalf();
      socket.write(body.slice(half));
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(received));
    socket.setTimeout(15_000, () => socket.destroy());
  });
}

test("SIGTERM lets a request in flight finish, tells sockets to reconnect (1012) and exits 0", async () => {
  const dataDir = makeDataDir();
  dirs.push(dataDir);
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn([process.execPath, MAIN, "serve"], {
    env: { PATH: process.env.PATH!, PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    await waitUntilUp(base);
    const admin = await completeFirstRun({ url: base } as TestServer);
    const ws = new WebSocketWithHeaders(`ws://127.0.0.1:${port}/cable`, {
      headers: { cookie: `session_token=${admin.cookies.get("session_token")}`, origin: base },
    });
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", reject);
    });
    const closed = new Promise<number>((resolve) => ws.addEventListener("close", (event) => resolve(event.code)));

    const answer = await slowSignIn(port, async () => {
      await Bun.sleep(200); // the request has arrived and waits for the rest of its body
      proc.kill("SIGTERM");
      await Bun.sleep(300);
    });
    expect(answer).toStartWith("HTTP/1.1 303");
    expect(answer).toContain("session_token=");
    expect(await closed).toBe(1012);
    expect(await proc.exited).toBe(0);
    expect(await new Response(proc.stdout).text()).toContain("received SIGTERM");
  } finally {
    proc.kill("SIGKILL");
  }
}, 30_000);
