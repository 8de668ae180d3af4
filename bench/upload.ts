// Uploads: 10 people each sending a 20 MB file at once to a room, as multipart posts from this
// process to a server in another. Reports MB/s through the whole post (body read, file written,
// message stored and broadcast) and the server's RSS, sampled every 10 ms while they run.
// Alone (`bun bench/upload.ts`) it starts a dev server on a scratch data directory and prints JSON.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitUntilUp } from "../test/helpers/processes.ts";

export const UPLOADS = 10;
export const UPLOAD_MB = 20;
const RSS_SAMPLE_MS = 10;

export type UploadResult = { mbPerSec: number; seconds: number; rssBeforeMb: number; peakRssMb: number; failures: number };

const rssMb = (pid: number): number => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;

export async function measureUploads(base: string, cookie: string, roomId: number, serverPid: number): Promise<UploadResult> {
  // Random bytes: nothing along the way can compress them away.
  const bytes = new Uint8Array(UPLOAD_MB * 1024 * 1024);
  for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  const file = new File([bytes], "bench.bin", { type: "application/octet-stream" });
  const rssBeforeMb = rssMb(serverPid);
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(serverPid))), RSS_SAMPLE_MS);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: UPLOADS }, (_, i) => {
      const body = new FormData();
      body.set("client_message_id", `bench-upload-${Date.now()}-${i}`);
      body.set("attachment", file);
      return fetch(`${base}/rooms/${roomId}/messages`, { method: "POST", body, headers: { Cookie: cookie, Origin: base } }).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
      );
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, rssMb(serverPid));
  return { mbPerSec: (UPLOADS * UPLOAD_MB) / seconds, seconds, rssBeforeMb, peakRssMb, failures: statuses.filter((s) => s !== 201).length };
}

/** A server in its own process on a scratch data directory, set up with one person signed in. */
export async function startUploadServer(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "campfire-upload-bench-"));
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = Bun.spawn([process.execPath, join(import.meta.dir, "../src/main.ts"), "serve"], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "ignore",
    stderr: "inherit",
  });
  const stop = async () => {
    server.kill("SIGTERM");
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(base);
    const firstRun = await fetch(`${base}/first_run`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base },
      body: new URLSearchParams({ name: "Bench", email_address: "bench@example.com", password: "a long bench password" }),
    });
    const cookie = firstRun.headers.getSetCookie()[0]!.split(";")[0]!;
    return { base, cookie, pid: server.pid, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (import.meta.main) {
  const server = await startUploadServer();
  try {
    console.log(JSON.stringify(await measureUploads(server.base, server.cookie, 1, server.pid)));
  } finally {
    await server.stop();
  }
}
