import { afterEach, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { ENVIRONMENT_VARIABLES } from "../../src/config.ts";
import { SIGNED_OUT_CLOSE_CODE } from "../../src/realtime/protocol.ts";
import { ADMIN, addSignedInMember, completeFirstRun, postMessage, signIn } from "../helpers/fixtures.ts";
import { freePort, run, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir, startTestServer } from "../helpers/server.ts";
import { carrying, messageIdFrom, openSocket } from "../helpers/socket.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const campfire = (args: string[], env: Record<string, string> = {}, stdin?: string) =>
  run([process.execPath, MAIN, ...args], { env: { PATH: process.env.PATH!, ...env }, stdin });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test("version prints the version, and says when it runs from source", async () => {
  const { stdout, exitCode } = await campfire(["version"]);
  expect(exitCode).toBe(0);
  expect(stdout.trim()).toBe(`${packageJson.version} (not a release build: run from source)`);
});

test("every setting has an option named after its variable, with its default in help; the option wins", async () => {
  const { stdout } = await campfire(["help"]);
  for (const name of ENVIRONMENT_VARIABLES) {
    const option = `--${name
      .replace(/^CAMPFIRE_/, "")
      .toLowerCase()
      .replaceAll("_", "-")}`;
    expect(stdout).toMatch(new RegExp(`^  ${option}, ${name}\\n {6}.*\\(default`, "m"));
  }
  // `systemd` prints what it read, so it shows which value won.
  const both = await campfire(["systemd", "--port", "4100", "--url=https://chat.example.com"], { PORT: "4000" });
  expect(both.exitCode).toBe(0);
  expect(both.stdout).toContain("Environment=PORT=4100\n");
  expect(both.stdout).toContain("Environment=CAMPFIRE_URL=https://chat.example.com\n");
  for (const [args, line] of [
    [["--colour", "red"], 'campfire: --colour: unknown option; run "campfire help" to see the options'],
    [["--port"], "campfire: --port: needs a value"],
    [["--port", "eighty"], 'campfire: PORT: must be a whole number from 0 to 65535 (got "eighty")'],
    [["--backup-keep", "0"], 'campfire: CAMPFIRE_BACKUP_KEEP: must be a whole number of backups to keep, at least 1 (got "0")'],
    [["--backup-every-hours", "soon"], 'campfire: CAMPFIRE_BACKUP_EVERY_HOURS: must be a number of hours, at least 0.001 (got "soon")'],
  ] as const) {
    const result = await campfire(["serve", ...args]);
    expect({ args, exitCode: result.exitCode, stderr: result.stderr.trim() }).toEqual({ args, exitCode: 1, stderr: line });
  }
});

test("systemd prints a hardened unit for this program that systemd-analyze accepts", async () => {
  const dir = makeDataDir();
  dirs.push(dir);
  const { stdout, exitCode } = await campfire(["systemd", "--port", "80", "--backup-dir", "/var/backups/campfire"]);
  expect(exitCode).toBe(0);
  for (const line of [
    `ExecStart=${process.execPath} ${MAIN} serve`,
    "DynamicUser=yes",
    "StateDirectory=campfire",
    "Environment=CAMPFIRE_DATA_DIR=/var/lib/campfire",
    "Environment=CAMPFIRE_BACKUP_DIR=/var/backups/campfire",
    "ReadWritePaths=/var/backups/campfire",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "ProtectSystem=strict",
    "NoNewPrivileges=yes",
    "Restart=on-failure",
    "TimeoutStopSec=20",
  ])
    expect(stdout.split("\n")).toContain(line);
  const unit = join(dir, "campfire.service");
  await Bun.write(unit, stdout);
  const verified = await run(["systemd-analyze", "verify", unit]);
  expect(verified.stderr).toBe("");
  expect(verified.exitCode).toBe(0);
});

test("help lists the commands and the environment", async () => {
  const { stdout, exitCode } = await campfire(["help"]);
  expect(exitCode).toBe(0);
  for (const word of ["serve", "reset-password EMAIL", "version", "PORT", "CAMPFIRE_DATA_DIR", "CAMPFIRE_MAX_UPLOAD_MB"])
    expect(stdout).toContain(word);
});

test("help and the README document exactly the environment variables the server reads", async () => {
  const { stdout } = await campfire(["help"]);
  const inHelp = [...stdout.split("Settings")[1]!.matchAll(/^ {2}--[\w-]+, (\w+)$/gm)].map((m) => m[1]!);
  const readme = await Bun.file(join(import.meta.dir, "../../README.md")).text();
  const table = readme.split("### Configuration")[1]!.split("\n#")[0]!;
  const inReadme = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!));
  expect(inHelp.sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  expect(inReadme.sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
});

test("an unknown command exits non-zero with one line", async () => {
  const { stderr, exitCode } = await campfire(["frobnicate"]);
  expect(exitCode).toBe(1);
  expect(stderr.trim()).toBe('campfire: unknown command "frobnicate"; run "campfire help" to see the commands');
});

test("a bad environment value stops start-up with one clear line naming the variable", async () => {
  for (const [name, value] of [
    ["PORT", "eighty"],
    ["CAMPFIRE_URL", "chat.example.com"],
    ["CAMPFIRE_MAX_UPLOAD_MB", "lots"],
    ["TLS_CERT", "/no/such/cert.pem"],
    ["CAMPFIRE_READ_CACHE", "maybe"],
  ] as const) {
    const { stderr, exitCode } = await campfire(["serve"], { [name]: value, TLS_KEY: "/no/such/key.pem" });
    expect(exitCode).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith(`campfire: ${name}:`);
  }
});

test("reset-password sets the password read from stdin and signs the person out everywhere", async () => {
  const server = startTestServer();
  await completeFirstRun(server);
  const { client: phone } = await signIn(server, ADMIN.email, ADMIN.password);

  const result = await campfire(
    ["reset-password", ADMIN.email.toUpperCase()],
    { CAMPFIRE_DATA_DIR: server.dataDir },
    "a brand new password\n",
  );
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain(`Changed the password of ${ADMIN.name}`);

  expect((await phone.get("/rooms/1")).headers.get("location")).toBe("/session/new");
  expect((await signIn(server, ADMIN.email, ADMIN.password)).response.status).toBe(401);
  expect((await signIn(server, ADMIN.email, "a brand new password")).response.status).toBe(303);
  await server.close();
});

test("reset-password while the server is up closes that person's open sockets within seconds, and only theirs", async () => {
  const server = startTestServer();
  const admin = await completeFirstRun(server);
  const { client: member } = await addSignedInMember(server);
  const [adminTab, memberTab] = [await openSocket(server, admin), await openSocket(server, member)];
  await adminTab.enter(1);
  await memberTab.enter(1);

  const result = await campfire(["reset-password", ADMIN.email], { CAMPFIRE_DATA_DIR: server.dataDir }, "a brand new password\n");
  expect(result.exitCode).toBe(0);
  const ended = performance.now();

  // Closed as a sign-out (the tab goes to the sign-in page instead of reconnecting), within seconds.
  const closed = await Promise.race([adminTab.closed, Bun.sleep(3_000).then(() => null)]);
  expect(closed).toEqual({ code: SIGNED_OUT_CLOSE_CODE, reason: "Signed out" });
  expect(performance.now() - ended).toBeLessThan(3_000);
  // Nothing more reaches them, and their cookie opens no new socket to enter rooms with.
  expect(adminTab.isOpen).toBe(false);
  await expect(openSocket(server, admin)).rejects.toThrow("did not open");
  // The other person's tab is untouched and still hears the room.
  expect(memberTab.isOpen).toBe(true);
  const posted = messageIdFrom(await postMessage(member, 1, "still here"));
  await memberTab.waitFor(carrying(posted));
  memberTab.close();
  await server.close();
});

test("reset-password refuses an unknown email or a too-short password and changes nothing", async () => {
  const server = startTestServer();
  await completeFirstRun(server);
  const env = { CAMPFIRE_DATA_DIR: server.dataDir };

  const unknown = await campfire(["reset-password", "nobody@example.com"], env, "whatever password\n");
  expect(unknown.exitCode).toBe(1);
  expect(unknown.stderr.trim()).toBe("campfire: no active person has the email address nobody@example.com");

  const short = await campfire(["reset-password", ADMIN.email], env, "short\n");
  expect(short.exitCode).toBe(1);
  expect(short.stderr).toContain("at least 8 characters");

  const missing = await campfire(["reset-password"], env);
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr).toContain("needs an email address");

  expect((await signIn(server, ADMIN.email, ADMIN.password)).response.status).toBe(303);
  await server.close();
});

test("npm start's command serves the app from ./storage by default", async () => {
  const dir = makeDataDir();
  dirs.push(dir);
  const port = freePort();
  const proc = Bun.spawn([process.execPath, MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH!, PORT: String(port), HOST: "127.0.0.1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}`);
    expect(await Bun.file(join(dir, "storage", "campfire.sqlite3")).exists()).toBe(true);
  } finally {
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }
});

test("a port already in use stops start-up with one clear line", async () => {
  const busy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const dir = makeDataDir();
  dirs.push(dir);
  try {
    const { stderr, exitCode } = await campfire(["serve"], { PORT: String(busy.port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dir });
    expect(exitCode).toBe(1);
    expect(stderr.trim()).toBe(`campfire: port ${busy.port} is already in use; set PORT to another port`);
  } finally {
    busy.stop(true);
  }
});

test("a start on a busy port leaves no fresh storage folder behind, and keeps one that was there", async () => {
  const busy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const dir = makeDataDir();
  dirs.push(dir);
  const env = { PATH: process.env.PATH!, PORT: String(busy.port), HOST: "127.0.0.1" };
  try {
    // The default ./storage, as `npm start` in a fresh checkout would make it.
    const fresh = await run([process.execPath, MAIN, "serve"], { cwd: dir, env });
    expect(fresh.exitCode).toBe(1);
    expect(fresh.stderr).toContain("already in use");
    expect(existsSync(join(dir, "storage"))).toBe(false);

    // A data directory in use before keeps everything in it.
    const kept = join(dir, "kept");
    const server = startTestServer(kept);
    await completeFirstRun(server);
    await server.stop();
    const again = await campfire(["serve"], { PORT: String(busy.port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: kept });
    expect(again.exitCode).toBe(1);
    expect(existsSync(join(kept, "campfire.sqlite3"))).toBe(true);
    expect(existsSync(join(kept, "files"))).toBe(true);
  } finally {
    busy.stop(true);
  }
});
