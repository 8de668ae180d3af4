import { existsSync } from "node:fs";
import { z } from "zod";

const PORT_MESSAGE = "must be a whole number from 0 to 65535";
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const UPLOAD_MESSAGE = "must be a whole number of megabytes from 1 to 4096";
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
    TLS_CERT: existingFile,
    TLS_KEY: existingFile,
    VAPID_PUBLIC_KEY: vapidKey(65).optional(),
    VAPID_PRIVATE_KEY: vapidKey(32).optional(),
  })
  .refine((env) => !!env.TLS_CERT === !!env.TLS_KEY, {
    message: "set both TLS_CERT and TLS_KEY, or neither",
    path: ["TLS_KEY"],
  })
  .refine((env) => !!env.VAPID_PUBLIC_KEY === !!env.VAPID_PRIVATE_KEY, {
    message: "set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither",
    path: ["VAPID_PRIVATE_KEY"],
  });

/** Every variable the server reads; the README and `campfire help` document exactly these (a test checks). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(schema.shape);

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
    vapid: e.VAPID_PUBLIC_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY! } : undefined,
    readCache: e.CAMPFIRE_READ_CACHE === "on",
  };
}
