import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { Client } from "../helpers/client.ts";
import { completeFirstRun, sendBody } from "../helpers/fixtures.ts";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir, type TestServer } from "../helpers/server.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const MB = 1024 * 1024;

// The server runs as its own process so that its memory can be read from /proc. Its upload limit is
// above 100 MB, so the bodies below pass Bun's own limit and must be refused by the routes' 1 MB.
let proc: ReturnType<typeof Bun.spawn>;
let dataDir: string;
let port: number;
let base: string;
let admin: Client;

beforeAll(async () => {
  dataDir = makeDataDir();
  port = freePort();
  base = `http://127.0.0.1:${port}`;
  proc = Bun.spawn([process.execPath, MAIN, "serve"], {
    env: { PATH: process.env.PATH!, PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir, CAMPFIRE_MAX_UPLOAD_MB: "200" },
    stdout: "ignore",
    stderr: "ignore",
  });
  await waitUntilUp(base);
  admin = await completeFirstRun({ url: base } as TestServer);
});

afterAll(async () => {
  proc.kill("SIGTERM");
  await proc.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const residentMb = async (): Promise<number> => {
  const status = await Bun.file(`/proc/${proc.pid}/status`).text();
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
};

/**
 * Sends a POST of `bytes` zeros (a form that is one huge field), 256 kB at a time, over a raw socket,
 * so the test never holds the body in memory; stops as soon as the server answers or hangs up.
 * Returns the status line's code; when the connection ended without one, whether that happened
 * before the whole body was sent (the server hung up on it) or after.
 */
function sendHugeForm(path: string, bytes: number, { chunked }: { chunked: boolean }): Promise<number | "cut off mid-body" | "no answer"> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(256 * 1024, "a");
    let sent = 0;
    let answered = false;
    const finish = (status: number) => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolve(status !== 0 ? status : sent < bytes ? "cut off mid-body" : "no answer");
    };
    // A server that answers early may reset the connection while we are still writing; the answer
    // read before that still counts.
    let received = "";
    const status = () => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
    socket.on("data", (data) => {
      received += data.toString("latin1");
      if (status() !== 0) finish(status());
    });
    socket.on("error", () => {}); // the close that follows settles it
    socket.on("close", () => finish(status()));
    // Yields between chunks, as a client reading its socket would, so an early answer is seen.
    const pump = async () => {
      // A refusal by Content-Length comes on the headers alone; sending into a closing connection
      // would have the kernel reset it and drop that answer unread. A server that waits for the
      // body gets all of it after this pause.
      for (let waited = 0; waited < 500 && !answered && received === ""; waited += 10)
        await new Promise((resume) => setTimeout(resume, 10));
      while (!answered && sent < bytes) {
        const size = Math.min(chunk.length, bytes - sent);
        const piece = size === chunk.length ? chunk : chunk.subarray(0, size);
        sent += size;
        const ok = chunked ? socket.write(`${size.toString(16)}\r\n`) && socket.write(piece) && socket.write("\r\n") : socket.write(piece);
        if (!ok) await new Promise((resume) => socket.once("drain", resume));
        await new Promise((resume) => setTimeout(resume, 1));
      }
      if (!answered && chunked) socket.write("0\r\n\r\n");
    };
    socket.on("connect", () => {
      const length = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${bytes}`;
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${base}\r\nContent-Type: application/x-www-form-urlencoded\r\n${length}\r\n\r\n`,
      );
      void pump();
    });
  });
}

test("eight 100 MB form posts to /session are refused with 413 without the server's memory growing", async () => {
  await fetch(`${base}/session/new`);
  const before = await residentMb();
  let peak = before;
  const sampler = setInterval(async () => (peak = Math.max(peak, await residentMb())), 25);
  const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => sendHugeForm("/session", 100 * MB, { chunked: i % 2 === 1 })));
  clearInterval(sampler);
  peak = Math.max(peak, await residentMb());
  console.log(`RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB; statuses ${statuses.join(" ")}`);
  // A body with Content-Length is refused on its headers alone, so its 413 always arrives. A
  // chunked one is refused once it passes the limit, while the client is still writing: the
  // server's close then resets the connection, and the kernel may drop the 413 before the client
  // reads it. Either way the server stopped reading early, which is what the memory check measures.
  expect(statuses.filter((_, i) => i % 2 === 0)).toEqual(Array(4).fill(413));
  for (const status of statuses.filter((_, i) => i % 2 === 1)) expect([413, "cut off mid-body"]).toContain(status);
  expect(peak - before).toBeLessThan(48);
  expect((await fetch(`${base}/up`)).status).toBe(200);
}, 60_000);

test("a form just under 1 MB is read; just over is refused with 413 and a message, chunked or not", async () => {
  const longField = (bytes: number) => `name=${"a".repeat(bytes - 5)}`;
  const under = await sendBody(admin, "/rooms/opens", longField(MB - 1), {
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(under.status).toBe(422); // read and parsed: the name is too long
  const over = await sendBody(admin, "/rooms/opens", longField(MB + 1), {
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(over.status).toBe(413);
  expect(await over.text()).toContain("too large");

  const stream = (bytes: number) =>
    new ReadableStream({
      start(controller) {
        const text = new TextEncoder().encode(longField(bytes));
        for (let at = 0; at < text.length; at += 64 * 1024) controller.enqueue(text.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
  const chunkedOver = await sendBody(admin, "/rooms/opens", stream(MB + 1), {
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(chunkedOver.status).toBe(413);
  expect((await fetch(`${base}/up`)).status).toBe(200);
});
