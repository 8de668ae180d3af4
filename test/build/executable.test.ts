import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { bundleClient } from "../../src/http/client-bundle.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import { freePort, run, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir } from "../helpers/server.ts";
import { walSequence } from "../helpers/wal.ts";

// The executable must run on a machine with neither Bun nor node_modules: it gets an empty folder
// and a PATH with only the system's basic tools.
const ROOT = join(import.meta.dir, "../..");
let workDir: string;
let runDir: string;
let executable: string;
const env = () => ({ PATH: "/usr/bin:/bin", HOME: runDir });

beforeAll(async () => {
  workDir = makeDataDir();
  // The release's linux-x64 target, built the way `npm run release` builds it.
  const built = await run([process.execPath, "build.ts", "--target", "bun-linux-x64", "--outfile", join(workDir, "dist", "campfire")], {
    cwd: ROOT,
  });
  expect(built.exitCode).toBe(0);
  runDir = join(workDir, "empty");
  mkdirSync(runDir);
  executable = join(runDir, "campfire");
  copyFileSync(join(workDir, "dist", "campfire"), executable);
  await run(["chmod", "+x", executable]);
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

type Running = { admin: Client; base: string; port: number; dataDir: string };

/** Runs `body` against the executable on a port of its own with a data folder set up by a first run; it must stop with 0. */
async function withSetUpExecutable(folder: string, body: (running: Running) => Promise<void>): Promise<{ stderr: string }> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = join(workDir, folder);
  const server = Bun.spawn([executable], {
    cwd: runDir,
    env: { ...env(), PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    await waitUntilUp(base);
    const admin = new Client(base);
    expect((await admin.post("/first_run", { name: ADMIN.name, email_address: ADMIN.email, password: ADMIN.password })).status).toBe(303);
    await body({ admin, base, port, dataDir });
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
  return { stderr: await new Response(server.stderr).text() };
}

test("version and help work from the executable alone; version names the commit and platform it was built from", async () => {
  const version = await run([executable, "version"], { cwd: runDir, env: env() });
  expect(version.exitCode).toBe(0);
  const commit = (await run(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT })).stdout.trim();
  expect(version.stdout.trim()).toBe(
    `${packageJson.version} (commit ${commit}, bun-linux-x64, built ${new Date().toISOString().slice(0, 10)})`,
  );
  const help = await run([executable, "help"], { cwd: runDir, env: env() });
  expect(help.exitCode).toBe(0);
  expect(help.stdout).toContain("reset-password EMAIL");
});

test("copied alone into an empty folder it starts, creates its data folder, serves the app and its assets", async () => {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = Bun.spawn([executable], {
    cwd: runDir,
    env: { ...env(), PORT: String(port), HOST: "127.0.0.1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    await waitUntilUp(base);
    expect(existsSync(join(runDir, "storage", "campfire.sqlite3"))).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(["campfire", "storage"]);

    const visitor = new Client(base);
    const redirect = await visitor.get("/");
    expect(redirect.headers.get("location")).toBe("/first_run");
    const page = await visitor.get("/first_run");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Welcome to Campfire");

    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => a.endsWith(".css")).length).toBeGreaterThan(0);
    expect(assets.filter((a) => a.endsWith(".js")).length).toBe(2);
    // Each is a file build.ts prepared and embedded, plain and gzipped: the same bytes either way.
    for (const asset of assets) {
      const plain = await fetch(base + asset, { headers: { "accept-encoding": "identity" } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get("content-type")).toStartWith(
        asset.endsWith(".css") ? "text/css" : asset.endsWith(".js") ? "text/javascript" : "image/svg+xml",
      );
      expect(plain.headers.get("content-encoding")).toBeNull();
      const bytes = await plain.bytes();
      expect(bytes.length).toBeGreaterThan(100);
      const gzipped = await fetch(base + asset, { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
      expect(gzipped.headers.get("content-encoding")).toBe("gzip");
      expect(gzipped.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(Bun.gunzipSync(await gzipped.bytes())).toEqual(bytes);
    }
    const css = await (await visitor.get(assets.find((a) => a.endsWith(".css"))!)).text();
    expect(css).toContain(".sidebar");
    // The browser code was bundled by build.ts (the sources aren't in the executable), minified.
    const js = await (await visitor.get(assets.find((a) => /\/app-[0-9a-z]+\.js$/.test(a))!)).text();
    expect(js).toContain("htmx:wsBeforeMessage");
    // (Counting lines no longer tells: Trix's template strings keep their line breaks when minified.)
    expect(js).not.toContain("richSendQueued"); // a local name, which minifying shortens
    expect(js.length).toBeLessThan((await bundleClient({ minify: false })).length * 0.8);

    expect((await visitor.post("/first_run", { name: ADMIN.name, email_address: ADMIN.email, password: ADMIN.password })).status).toBe(303);
    const room = await visitor.get("/rooms/1");
    expect(room.status).toBe(200);
    // What the executable bundles for rich messages: the sounds' pictures, highlight.js, emojibase's shortcodes.
    const sound = await visitor.post("/rooms/1/messages", { body: "/play nyan" });
    expect(await sound.text()).toContain('src="/assets/sounds/nyan.svg"');
    expect((await visitor.get("/assets/sounds/nyan.svg")).status).toBe(200);
    const code = await visitor.post("/rooms/1/messages", { body: "```ts\nconst a = 1;\n```" });
    expect(await code.text()).toContain('<span class="hljs-keyword">const</span>');
    const roomHtml = await room.text();
    const emoji = await visitor.get(/data-emoji-src="([^"]+)"/.exec(roomHtml)![1]!);
    expect(await emoji.json()).toContainEqual(["tada", "🎉"]);
    // Trix: its script and stylesheet, its editor on the room page with the request's style nonce.
    const trix = await visitor.get(/<script src="(\/assets\/trix-[0-9a-z]+\.js)"/.exec(roomHtml)![1]!);
    const trixJs = await trix.text();
    expect(trixJs).toContain('customElements.define("trix-editor"');
    // Its source map is not served, so the script must not send browsers asking for it.
    expect(trixJs).not.toContain("sourceMappingURL");
    expect(css).toContain("trix-toolbar");
    expect(roomHtml).toContain("<trix-editor");
    const nonce = /<meta name="csp-nonce" content="([^"]+)"/.exec(roomHtml)![1]!;
    expect(room.headers.get("content-security-policy")).toContain(`style-src 'self' 'nonce-${nonce}'`);
    // qrcode-generator, bundled: the join link's QR code on the account page.
    expect(await (await visitor.get("/account")).text()).toMatch(/<svg class="qr-code"[^>]*>[\s\S]*?<path d="M\d/);
    const rich = await visitor.post("/rooms/1/messages", { body_html: "<div>so <strong>bold</strong></div>" });
    expect(await rich.text()).toContain("<div>so <strong>bold</strong></div>");

    const reset = await run([executable, "reset-password", ADMIN.email], { cwd: runDir, env: env(), stdin: "executable password\n" });
    expect(reset.exitCode).toBe(0);
    const again = new Client(base);
    expect((await again.post("/session", { email_address: ADMIN.email, password: "executable password" })).status).toBe(303);
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
}, 60_000);

test("the executable serves the installable app, and encrypts and signs a push with web-push", async () => {
  await withSetUpExecutable("push", async ({ admin: visitor, port }) => {
    const manifest = await (await visitor.get("/webmanifest")).json();
    expect(manifest.display).toBe("standalone");
    for (const icon of manifest.icons) {
      const png = new Uint8Array(await (await visitor.get(icon.src)).arrayBuffer());
      expect(png.subarray(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    }
    // The worker was bundled by build.ts, and knows the executable's own hashed assets.
    const worker = await (await visitor.get("/service-worker.js")).text();
    const page = await (await visitor.get("/rooms/1")).text();
    expect(worker).toContain("campfire-shell-");
    for (const asset of page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) expect(worker).toContain(asset[1]!);

    // A subscription whose endpoint is this machine: web-push encrypts and signs the test
    // notification inside the executable, then the private-network guard refuses to send it (a
    // failure of web-push in the binary would be a 500 here, not this answer).
    const browserKey = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
    const subscribed = await visitor.post("/users/me/push_subscriptions", {
      "push_subscription[endpoint]": `https://127.0.0.1:${port}/push`,
      "push_subscription[p256dh_key]": Buffer.from(await crypto.subtle.exportKey("raw", browserKey.publicKey)).toString("base64url"),
      "push_subscription[auth_key]": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url"),
    });
    expect(subscribed.status).toBe(200);
    const id = /push_subscription_(\d+)/.exec(await subscribed.text())![1];
    const tested = await visitor.post(`/users/me/push_subscriptions/${id}/test_notifications`, {}, { "HX-Request": "true" });
    expect(tested.status).toBe(200);
    expect(await tested.text()).toContain("so it was removed");
  });
}, 60_000);

test("the executable makes a picture's thumbnail with Bun.Image (no native package to miss)", async () => {
  await withSetUpExecutable("pictures", async ({ admin }) => {
    const form = new FormData();
    form.set("attachment", new File([pngOf(3000, 2000)], "wide.png", { type: "image/png" }));
    const posted = await admin.request("/rooms/1/messages", { method: "POST", body: form });
    expect(posted.status).toBe(201);
    const html = await posted.text();
    expect(html).toContain('width="1200" height="800"');
    const preview = await admin.get(html.match(/src="(\/attachments\/[0-9a-f]{32}\/preview)"/)![1]!);
    expect(preview.headers.get("content-type")).toBe("image/webp");
    expect(await new Bun.Image(await preview.arrayBuffer()).metadata()).toMatchObject({ width: 1200, height: 800, format: "webp" });
  });
}, 60_000);

test("the executable sanitizes rich text without postcss, which it leaves out: a style attribute is dropped, not parsed", async () => {
  const { stderr } = await withSetUpExecutable("rich", async ({ admin }) => {
    const posted = await admin.post("/rooms/1/messages", {
      body_html: '<div><strong style="color: red; background: url(x)">Bold</strong> and plain</div>',
      client_message_id: "exe-rich",
    });
    expect(posted.status).toBe(201);
    const html = await posted.text();
    expect(html).toContain("<strong>Bold</strong> and plain");
    expect(html).not.toContain("style=");
  });
  expect(stderr).toBe("");
}, 60_000);

test("the executable starts its checkpoint thread from inside itself at the first write, and stops it cleanly", async () => {
  let databaseFile = "";
  const { stderr } = await withSetUpExecutable("checkpoints", async ({ admin, dataDir }) => {
    databaseFile = join(dataDir, "campfire.sqlite3");
    const before = walSequence(databaseFile);
    // A few dozen posts are far below the pages at which SQLite checkpoints by itself: only the
    // thread (started within a second of the first write) makes the WAL start over.
    for (let i = 0; i < 40 && walSequence(databaseFile) === before; i++) {
      expect((await admin.post("/rooms/1/messages", { body: `Post ${i}`, client_message_id: `exe-${i}` })).status).toBe(201);
      await Bun.sleep(250);
    }
    expect(walSequence(databaseFile)).toBeGreaterThan(before);
  });
  // The thread was found inside the executable and closed its connection before the last checkpoint.
  expect(stderr).toBe("");
  expect(existsSync(`${databaseFile}-wal`)).toBe(false);
}, 60_000);

test("the executable backs itself up on schedule in a process of its own, and restores the backup", async () => {
  const port = freePort();
  const dataDir = join(workDir, "scheduled");
  const backupDir = join(workDir, "backups");
  const server = Bun.spawn([executable, "--backup-dir", backupDir, "--backup-every-hours", "0.001"], {
    cwd: runDir,
    env: { ...env(), PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}`);
    const deadline = Date.now() + 15_000;
    while (!existsSync(backupDir) || readdirSync(backupDir).filter((name) => name.endsWith(".tar")).length === 0) {
      if (Date.now() > deadline) throw new Error("no scheduled backup within 15 s");
      await Bun.sleep(100);
    }
  } finally {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
  const backup = readdirSync(backupDir).find((name) => name.endsWith(".tar"))!;
  const restored = await run([executable, "restore", join(backupDir, backup), "--data-dir", join(workDir, "restored")], {
    cwd: runDir,
    env: env(),
  });
  expect(restored.stderr).toBe("");
  expect(restored.stdout).toContain("every checksum verified");
}, 60_000);
