import { rmSync } from "node:fs";
import { resolve } from "node:path";
import packageJson from "../package.json" with { type: "json" };
import { BackupError, createBackup, restoreBackup } from "./backup/backup.ts";
import { versionLine } from "./build-info.ts";
import { applyFlags, type Config, ConfigError, ENVIRONMENT_VARIABLES, flagFor, parseConfig, SETTINGS_HELP } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import { migrate } from "./db/migrations.ts";
import { demoDataDir, seedDemo } from "./demo/demo.ts";
import { consoleLogger } from "./log.ts";
import { databasePath, type RunningServer, startServer } from "./server.ts";
import { endAllSessions } from "./sessions/sessions.ts";
import { systemdUnit } from "./systemd.ts";
import { startServerWithAutoTls } from "./tls/auto-tls.ts";
import { newPassword } from "./users/fields.ts";
import { findUserByEmail, hashPassword, setPasswordDigest } from "./users/users.ts";

const COMMANDS = `Usage: campfire [command] [--option value ...]

Commands:
  serve                 Run the server (the default).
  backup FILE           Write a consistent copy of the database and every file
                        into FILE (one tar file) while the server keeps running.
  restore FILE          Check a backup and restore it into an empty data folder.
  reset-password EMAIL  Set a new password for EMAIL, read from standard input,
                        and sign that person out everywhere.
  demo                  Run a throwaway demo: a made-up team and a day of their
                        conversation, with one-click sign-in; deleted on stop.
  systemd               Print a systemd unit for this executable.
  healthcheck           Exit 0 when the server on this machine answers /up
                        with 200 (for Docker's HEALTHCHECK), else 1.
  version               Print the version (and the commit it was built from).
  help                  Print this help.`;

function help(): string {
  const settings = ENVIRONMENT_VARIABLES.map((name) => {
    const names = `${flagFor(name)}, ${name}`;
    return `  ${names}\n      ${SETTINGS_HELP[name as keyof typeof SETTINGS_HELP]}`;
  });
  return `Campfire ${packageJson.version}: self-hosted team chat in one file.\n\n${COMMANDS}\n\nSettings, all optional: an option, or its environment variable (the option wins).\n${settings.join("\n")}\n`;
}

class UsageError extends Error {}

async function demo(config: Config): Promise<void> {
  const dataDir = demoDataDir();
  // The throwaway folder goes when the demo stops, however it stops.
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
  const running = await serve({ ...config, dataDir, demo: true, backup: undefined });
  await seedDemo(running.ctx);
  consoleLogger("info", `This is a demo: open ${running.url} and sign in with one click. Its data is deleted when it stops.`);
}

async function serve(config: Config): Promise<RunningServer> {
  let running: RunningServer | undefined;
  let shuttingDown = false;
  const shutDown = async (signal: string) => {
    if (shuttingDown) return; // a second signal waits for the first shutdown
    shuttingDown = true;
    consoleLogger("info", `received ${signal}, shutting down`);
    await running?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutDown("SIGINT"));
  process.on("SIGTERM", () => void shutDown("SIGTERM"));
  try {
    running = config.autoTls ? await startServerWithAutoTls({ ...config, autoTls: config.autoTls }, consoleLogger) : startServer(config);
  } catch (error) {
    const { code, port } = error as { code?: string; port?: number };
    if (code === "EADDRINUSE") {
      const which = config.autoTls && port === config.autoTls.httpPort ? "HTTP_PORT" : "PORT";
      throw new UsageError(`port ${port ?? config.port} is already in use; set ${which} to another port`);
    }
    throw new UsageError(`could not start: ${(error as Error).message}`);
  }
  consoleLogger("info", `Campfire ${packageJson.version} is listening on ${running.url}`, { dataDir: config.dataDir });
  return running;
}

async function readPassword(emailAddress: string): Promise<string> {
  const interactive = process.stdin.isTTY;
  if (interactive) {
    process.stdout.write(`New password for ${emailAddress}: `);
    Bun.spawnSync(["stty", "-echo"], { stdin: "inherit" });
  }
  try {
    for await (const line of console) return line;
    return "";
  } finally {
    if (interactive) {
      Bun.spawnSync(["stty", "echo"], { stdin: "inherit" });
      process.stdout.write("\n");
    }
  }
}

async function resetPassword(config: Config, emailAddress: string | undefined): Promise<void> {
  if (!emailAddress) throw new UsageError("reset-password needs an email address: campfire reset-password EMAIL");
  const db = openDatabase(databasePath(config.dataDir));
  try {
    migrate(db);
    const user = findUserByEmail(db, emailAddress.trim().toLowerCase());
    if (!user || user.role === "bot" || user.status !== "active") {
      throw new UsageError(`no active person has the email address ${emailAddress}`);
    }
    const parsed = newPassword.safeParse(await readPassword(emailAddress));
    if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
    setPasswordDigest(db, user.id, await hashPassword(parsed.data));
    endAllSessions(db, user.id);
    console.log(`Changed the password of ${user.name} <${user.emailAddress}> and signed them out everywhere.`);
  } finally {
    db.close();
  }
}

async function backup(config: Config, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError("backup needs a file to write: campfire backup FILE");
  const started = performance.now();
  const done = await createBackup(config.dataDir, resolve(file));
  const mb = (done.bytes / 1024 / 1024).toFixed(1);
  console.log(
    `Wrote ${done.file} (${mb} MB: the database with ${done.messages} messages, and ${done.files} files) in ${Math.round(performance.now() - started)} ms.`,
  );
  if (done.missing.length) console.log(`${done.missing.length} files were deleted while the backup ran (their messages were deleted too).`);
}

async function restore(config: Config, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError("restore needs a backup file: campfire restore FILE");
  const done = await restoreBackup(resolve(file), config.dataDir);
  console.log(
    `Restored the backup of ${done.created_at} into ${config.dataDir}: ${done.messages} messages and ${done.files} files, every checksum verified.`,
  );
}

async function healthcheck(config: Config): Promise<void> {
  const base = `${config.tls ? "https" : "http"}://127.0.0.1:${config.port}`;
  let status: number | string;
  try {
    status = (await fetch(`${base}/up`, { signal: AbortSignal.timeout(5_000), tls: { rejectUnauthorized: false } })).status;
  } catch (error) {
    status = (error as Error).message;
  }
  if (status !== 200) throw new UsageError(`${base}/up answered ${status}`);
}

async function main(args: string[]): Promise<void> {
  const { env, rest: positional } = applyFlags(args, process.env);
  const [command = "serve", ...rest] = positional;
  switch (command) {
    case "serve":
      await serve(parseConfig(env));
      return;
    case "backup":
      return backup(parseConfig(env), rest[0]);
    case "restore":
      return restore(parseConfig(env), rest[0]);
    case "reset-password":
      return resetPassword(parseConfig(env), rest[0]);
    case "demo":
      return demo(parseConfig(env));
    case "healthcheck":
      return healthcheck(parseConfig(env));
    case "systemd":
      console.log(systemdUnit(parseConfig(env)));
      return;
    case "version":
    case "--version":
    case "-v":
      console.log(versionLine());
      return;
    case "help":
    case "--help":
    case "-h":
      console.log(help());
      return;
    default:
      throw new UsageError(`unknown command "${command}"; run "campfire help" to see the commands`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof UsageError || error instanceof BackupError)) throw error;
  console.error(`campfire: ${error.message}`);
  process.exit(1);
}
