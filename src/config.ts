import { existsSync } from "node:fs";
import { z } from "zod";
import type { BackupScheduleConfig } from "./backup/schedule.ts";

export const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
const PORT_MESSAGE = "must be a whole number from 0 to 65535";
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const UPLOAD_MESSAGE = "must be a whole number of megabytes from 1 to 4096";
const BACKUP_HOURS_MESSAGE = "must be a number of hours, at least 0.001";
const KEEP_MESSAGE = "must be a whole number of backups to keep, at least 1";
// Web Push keys as web-push and the browsers write them: unpadded base64url of the raw P-256 key
// (a 65-byte uncompressed public point, a 32-byte private scalar).
const vapidKey = (bytes: number) =>
  z
    .string()
    .trim()
    .refine((key) => /^[A-Za-z0-9_-]+$/.test(key) && Buffer.from(key, "base64url").length === bytes, {
      message: `must be ${bytes} bytes of base64url, as web-push generate-vapid-keys prints`,
    });
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
    TLS_DOMAIN: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
        "must be a domain name, e.g. chat.example.com",
      )
      .optional(),
    ACME_DIRECTORY_URL: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).default(LETS_ENCRYPT),
    ACME_EMAIL: z.email("must be an email address").optional(),
    HTTP_PORT: port.default(80),
    TLS_KEY: existingFile,
    VAPID_PUBLIC_KEY: vapidKey(65).optional(),
    VAPID_PRIVATE_KEY: vapidKey(32).optional(),
  })
  .refine((env) => !!env.TLS_CERT === !!env.TLS_KEY, {
    message: "set both TLS_CERT and TLS_KEY, or neither",
    path: ["TLS_KEY"],
  })
  .refine((env) => !(env.TLS_DOMAIN && env.TLS_CERT), {
    message: "set either TLS_DOMAIN (automatic certificates) or TLS_CERT and TLS_KEY (your own), not both",
    path: ["TLS_DOMAIN"],
  })
  .refine((env) => !!env.VAPID_PUBLIC_KEY === !!env.VAPID_PRIVATE_KEY, {
    message: "set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither",
    path: ["VAPID_PRIVATE_KEY"],
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
  PORT: "Port to listen on (default 3000, or 443 with TLS_DOMAIN).",
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
  TLS_DOMAIN: "Automatic HTTPS for this domain: a certificate by ACME, renewed on its own; PORT then defaults to 443 (default: none).",
  ACME_DIRECTORY_URL: "The ACME CA for TLS_DOMAIN (default Let's Encrypt).",
  ACME_EMAIL: "Contact address given to the CA, for expiry warnings (default: none).",
  HTTP_PORT: "With TLS_DOMAIN: the port answering the CA's challenges and redirecting to HTTPS (default 80).",
  VAPID_PUBLIC_KEY: "Web Push public key, base64url (default: a pair made on first start and kept in the database).",
  VAPID_PRIVATE_KEY: "Its private key; set both or neither (default: the generated one).",
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
  /** Web Push keys from the environment; when absent the server makes a pair on first start and keeps it. */
  vapid?: { publicKey: string; privateKey: string };
  /** Started by `campfire demo`: one-click sign-in on the sign-in page. Never from the environment. */
  demo?: boolean;
  /** Automatic HTTPS (TLS_DOMAIN): `tls` is then filled in once the certificate is on disk. */
  autoTls?: AutoTlsConfig;
  /** Scheduled backups into a folder, keeping the newest few; off unless CAMPFIRE_BACKUP_DIR is set. */
  backup?: BackupScheduleConfig;
  /** Off, every read goes to SQLite: the test suite runs both ways so a missed cache event shows. */
  readCache: boolean;
};

export type AutoTlsConfig = { domain: string; directoryUrl: string; email?: string; httpPort: number };

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
    // Automatic HTTPS serves on 443 unless told otherwise.
    port: e.TLS_DOMAIN && present.PORT === undefined ? 443 : e.PORT,
    host: e.HOST,
    dataDir: e.CAMPFIRE_DATA_DIR,
    publicUrl: e.CAMPFIRE_URL?.replace(/\/+$/, ""),
    maxUploadBytes: e.CAMPFIRE_MAX_UPLOAD_MB * 1024 * 1024,
    tls: e.TLS_CERT ? { certPath: e.TLS_CERT, keyPath: e.TLS_KEY! } : undefined,
    vapid: e.VAPID_PUBLIC_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY! } : undefined,
    readCache: e.CAMPFIRE_READ_CACHE === "on",
    autoTls: e.TLS_DOMAIN
      ? { domain: e.TLS_DOMAIN, directoryUrl: e.ACME_DIRECTORY_URL, email: e.ACME_EMAIL, httpPort: e.HTTP_PORT }
      : undefined,
    backup: e.CAMPFIRE_BACKUP_DIR
      ? { dir: e.CAMPFIRE_BACKUP_DIR, everyMs: Math.round(e.CAMPFIRE_BACKUP_EVERY_HOURS * 3_600_000), keep: e.CAMPFIRE_BACKUP_KEEP }
      : undefined,
  };
}
