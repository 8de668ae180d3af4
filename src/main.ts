import packageJson from "../package.json" with { type: "json" };
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import { migrate } from "./db/migrations.ts";
import { consoleLogger } from "./log.ts";
import { databasePath, startServer } from "./server.ts";
import { endAllSessions } from "./sessions/sessions.ts";
import { newPassword } from "./users/fields.ts";
import { findUserByEmail, hashPassword, setPasswordDigest } from "./users/users.ts";

const HELP = `Campfire ${packageJson.version}: self-hosted team chat in one file.

Usage: campfire [command]

Commands:
  serve                 Run the server (the default).
  reset-password EMAIL  Set a new password for EMAIL, read from standard input,
                        and sign that person out everywhere.
  version               Print the version.
  help                  Print this help.

Environment (all optional):
  PORT                  Port to listen on (default 3000).
  HOST                  Address to listen on (default 0.0.0.0).
  CAMPFIRE_DATA_DIR     Where the database lives (default ./storage).
  CAMPFIRE_URL          Public address, e.g. https://chat.example.com.
  CAMPFIRE_MAX_UPLOAD_MB
                        Largest upload in megabytes (default 100); other
                        request bodies are limited to 1 MB.
  TLS_CERT, TLS_KEY     Certificate and key files to serve HTTPS directly.
  CAMPFIRE_READ_CACHE   "off" reads everything from SQLite (default "on").
  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY
                        Web Push keys (base64url); without them a pair is
                        made on first start and kept in the database.
`;

class UsageError extends Error {}

function serve(config: Config): void {
  let running: ReturnType<typeof startServer>;
  try {
    running = startServer(config);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${config.port} is already in use; set PORT to another port`);
    throw new UsageError(`could not start: ${(error as Error).message}`);
  }
  consoleLogger("info", `Campfire ${packageJson.version} is listening on ${running.url}`, { dataDir: config.dataDir });
  let shuttingDown = false;
  const shutDown = async (signal: string) => {
    if (shuttingDown) return; // a second signal waits for the first shutdown
    shuttingDown = true;
    consoleLogger("info", `received ${signal}, shutting down`);
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutDown("SIGINT"));
  process.on("SIGTERM", () => void shutDown("SIGTERM"));
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

async function main(args: string[]): Promise<void> {
  const [command = "serve", ...rest] = args;
  switch (command) {
    case "serve":
      return serve(parseConfig(process.env));
    case "reset-password":
      return resetPassword(parseConfig(process.env), rest[0]);
    case "version":
    case "--version":
    case "-v":
      console.log(packageJson.version);
      return;
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"; run "campfire help" to see the commands`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof UsageError)) throw error;
  console.error(`campfire: ${error.message}`);
  process.exit(1);
}
