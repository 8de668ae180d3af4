import { existsSync } from "node:fs";
import { z } from "zod";

const PORT_MESSAGE = "must be a whole number from 0 to 65535";
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const UPLOAD_MESSAGE = "must be a whole number of megabytes from 1 to 4096";
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
  })
  .refine((env) => !!env.TLS_CERT === !!env.TLS_KEY, {
    message: "set both TLS_CERT and TLS_KEY, or neither",
    path: ["TLS_KEY"],
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
  };
}
