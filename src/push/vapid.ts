import type { Database } from "bun:sqlite";
import { generateKeyPairSync } from "node:crypto";
import { now } from "../db/time.ts";

/** The server's Web Push identity: browsers tie each subscription to the public key, so it must never change by itself. */
export type VapidKeys = { publicKey: string; privateKey: string };

// Push services want a contact for the sender; an instance has no fixed owner, so the original's is kept.
export const VAPID_SUBJECT = "mailto:support@37signals.com";

/**
 * The keys from the environment when set, else the pair stored on first start (made now if this is
 * it). A second process starting at the same moment keeps whichever pair was stored first, since
 * both read back what the table holds after their insert.
 */
export function loadVapidKeys(db: Database, configured?: VapidKeys): VapidKeys {
  if (configured) return configured;
  const read = (name: string) => db.query<{ value: string }, [string]>("SELECT value FROM secrets WHERE name = ?").get(name)?.value;
  const stored = () => {
    const publicKey = read("vapid_public_key");
    const privateKey = read("vapid_private_key");
    return publicKey && privateKey ? { publicKey, privateKey } : null;
  };
  const found = stored();
  if (found) return found;
  const generated = newVapidKeys();
  const insert = db.query("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING");
  db.transaction(() => {
    insert.run("vapid_public_key", generated.publicKey, now());
    insert.run("vapid_private_key", generated.privateKey, now());
  }).immediate();
  return stored()!;
}

/**
 * A fresh P-256 pair in web-push's format (the raw uncompressed public point, the 32-byte private
 * scalar, unpadded base64url), made with node:crypto so that starting the server never loads
 * web-push: it is needed only when a notification is sent.
 */
function newVapidKeys(): VapidKeys {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return { publicKey: point.toString("base64url"), privateKey: jwk.d! };
}
