import { existsSync } from "node:fs";
import { z } from "zod";
import type { BackupScheduleConfig } from "./backup/schedule.ts";

const PORT_MESSAGE = "must be a whole number from 0 to 65535";
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const UPLOAD_MESSAGE = "must be a whole number of megabytes from 1 to 4096";
const BACKUP_HOURS_MESSAGE = "must be a number of hours, at least 0.001";
const KEEP_MESSAGE = "must be a whole number of backups to keep, at least 1";
const existingFile = z.string().trim().refine(existsSync, "no such file").optional();

const schema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().trim().min(1).default("0.0.0.0"),
    CAMPFIRE_DATA_DIR: z.string().trim().min(1).default("./storage"),
    CAMPFIRE_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    CAMPFIRE_MAX_UPLOAD_MB: z.coerce
      .number({ error: UPLOAD_MESSAGE })
      .int(UPLOAD_MESSAGE)
      .min(1, UPLOAD_MESSAGE)
      .max(4096, UPLOAD_MESSAGE)
      .default(100),
    CAMPFIRE_READ_CACHE: z.enum(["on", "off"], 'must be "on" or "off"').default("on"),
    CAMPFIRE_BACKUP_DIR: z.string().trim().min(1).optional(),
    CAMPFIRE_BACKUP_EVERY_HOURS: z.coerce
      .number({ error: BACKUP_HOURS_MESSAGE })
      .min(0.001, BACKUP_HOURS_MESSAGE)
      .max(24 * 366, BACKUP_HOURS_MESSAGE)
      .default(24),
    CAMPFIRE_BACKUP_KEEP: z.coerce
      .number({ error: KEEP_MESSAGE })
      .int(KEEP_MESSAGE)
      .min(1, KEEP_MESSAGE)
      .max(10_000, KEEP_MESSAGE)
      .default(7),
    TLS_CERT: existingFile,
    TLS_KEY: existingFile,
  })
  .refine((env) => !!env.TLS_CERT === !!env.TLS_KEY, {
    message: "set both TLS_CERT and TLS_KEY, or neither",
    path: ["TLS_KEY"],
  });

/** Every variable the server reads; the README and `campfire help` document exactly these (a test checks). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(schema.shape);

type Variable = keyof typeof schema.shape;

/** Each setting's flag is its variable's name without CAMPFIRE_, in lower case: CAMPFIRE_DATA_DIR is --data-dir. */
export const flagFor = (variable: string): string =>
  `--${variable
    .replace(/^CAMPFIRE_/, "")
    .toLowerCase()
    .replaceAll("_", "-")}`;

/** What `campfire help` says of each setting, with its default. */
export const SETTINGS_HELP: Record<Variable, string> = {
  PORT: "Port to listen on (default 3000).",
  HOST: "Address to listen on (default 0.0.0.0).",
  CAMPFIRE_DATA_DIR: "Where the database and files live (default ./storage).",
  CAMPFIRE_URL: "Public address, e.g. https://chat.example.com (default: none).",
  CAMPFIRE_MAX_UPLOAD_MB: "Largest upload in megabytes (default 100); other request bodies are limited to 1 MB.",
  CAMPFIRE_READ_CACHE: '"off" reads everything from SQLite (default "on").',
  CAMPFIRE_BACKUP_DIR: "Folder for scheduled backups (default: none, no scheduled backups).",
  CAMPFIRE_BACKUP_EVERY_HOURS: "Hours between scheduled backups (default 24).",
  CAMPFIRE_BACKUP_KEEP: "How many scheduled backups to keep (default 7).",
  TLS_CERT: "Certificate file, to serve HTTPS directly (default: none).",
  TLS_KEY: "Its private key file (default: none).",
};

/**
 * Folds `--flag value` and `--flag=value` into the environment (a flag wins over its variable).
 * Returns what is left: the command's own arguments.
 */
export function applyFlags(
  args: string[],
  env: Record<string, string | undefined>,
): { env: Record<string, string | undefined>; rest: string[] } {
  const byFlag = new Map(ENVIRONMENT_VARIABLES.map((name) => [flagFor(name), name]));
  const merged = { ...env };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--") || arg === "--help" || arg === "--version") {
      rest.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const name = byFlag.get(flag!);
    if (!name) throw new ConfigError(`${flag}: unknown option; run "campfire help" to see the options`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new ConfigError(`${flag}: needs a value`);
    merged[name] = value;
  }
  return { env: merged, rest };
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  publicUrl?: string;
  /** The largest request body the server accepts at all: an upload's. */
  maxUploadBytes: number;
  tls?: { certPath: string; keyPath: string };
  /** Scheduled backups into a folder, keeping the newest few; off unless CAMPFIRE_BACKUP_DIR is set. */
  backup?: BackupScheduleConfig;
  /** Off, every read goes to SQLite: the test suite runs both ways so a missed cache event shows. */
  readCache: boolean;
};

export class ConfigError extends Error {}

/** Reads the environment once; a bad value throws one line that names the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`PORT=`) means "not set", as shells and systemd units often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? "")})`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.CAMPFIRE_DATA_DIR,
    publicUrl: e.CAMPFIRE_URL?.replace(/\/+$/, ""),
    maxUploadBytes: e.CAMPFIRE_MAX_UPLOAD_MB * 1024 * 1024,
    tls: e.TLS_CERT ? { certPath: e.TLS_CERT, keyPath: e.TLS_KEY! } : undefined,
    readCache: e.CAMPFIRE_READ_CACHE === "on",
    backup: e.CAMPFIRE_BACKUP_DIR
      ? { dir: e.CAMPFIRE_BACKUP_DIR, everyMs: Math.round(e.CAMPFIRE_BACKUP_EVERY_HOURS * 3_600_000), keep: e.CAMPFIRE_BACKUP_KEEP }
      : undefined,
  };
}
