// A push service of our own for tests: a local HTTPS server (its certificate made here with openssl)
// standing in for FCM or Mozilla's autopush, and the browser's side of a subscription (its ECDH
// key pair and auth secret). It checks each request as a push service and a browser would: the
// VAPID JWT must verify (ES256 over the key the request names, RFC 8292), and the body must
// decrypt (aes128gcm, RFC 8188, with the keys derived as RFC 8291 says). Nothing is mocked.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import type { GuardOptions, ResolvedAddress } from "../../src/unfurl/guarded-fetch.ts";
import { run } from "./processes.ts";

export const PUSH_HOST = "push.test";

export type Received = {
  path: string;
  headers: Headers;
  /** The VAPID claims, once the signature verified against `publicKey`. */
  jwt: { aud: string; exp: number; sub: string };
  /** The `k=` of the Authorization header: the server's VAPID public key. */
  publicKey: string;
  /** The decrypted payload, parsed. */
  payload: { title: string; options: { body: string; icon: string; tag: string; data: { path: string; badge: number } } };
};

export type BrowserKeys = { endpoint: string; p256dhKey: string; authKey: string; privateKey: CryptoKey; auth: Uint8Array<ArrayBuffer> };

const b64url = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString("base64url");
const fromB64url = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(text, "base64url"));
const utf8 = (text: string) => new TextEncoder().encode(text);

export class PushEndpoint {
  readonly received: Received[] = [];
  /** Requests that failed a check, with why: a test expects none. */
  readonly rejected: string[] = [];
  /** Status to answer for a path (default 201). */
  readonly statuses = new Map<string, number>();
  private readonly browsers = new Map<string, BrowserKeys>();
  private arrivals: (() => void)[] = [];

  private constructor(
    private readonly server: Server<undefined>,
    private readonly dir: string,
    readonly ca: string,
  ) {}

  static async start(): Promise<PushEndpoint> {
    const dir = mkdtempSync(join(tmpdir(), "campfire-push-"));
    const [certPath, keyPath] = [join(dir, "cert.pem"), join(dir, "key.pem")];
    const made = await run(
      ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
        "-subj",
        `/CN=${PUSH_HOST}`,
        "-addext",
        `subjectAltName=DNS:${PUSH_HOST}`,
        "-keyout",
        keyPath,
        "-out",
        certPath,
      ]),
    );
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    let endpoint!: PushEndpoint;
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: Bun.file(certPath), key: Bun.file(keyPath) },
      fetch: (request) => endpoint.receive(request),
    });
    endpoint = new PushEndpoint(server, dir, readFileSync(certPath, "utf8"));
    return endpoint;
  }

  /** What the server under test needs to reach this endpoint: 127.0.0.1 allowed, push.test resolving to it, the certificate trusted. */
  get guard(): GuardOptions {
    return {
      allow: new Set(["127.0.0.1"]),
      ca: this.ca,
      resolve: async (host): Promise<ResolvedAddress[]> => (host === PUSH_HOST ? [{ address: "127.0.0.1", family: 4 }] : []),
    };
  }

  url(path: string): string {
    return `https://${PUSH_HOST}:${this.server.port}${path}`;
  }

  /** A browser's subscription at `path`: a fresh P-256 key pair and auth secret, as PushManager.subscribe makes. */
  async subscribe(path: string): Promise<BrowserKeys> {
    const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
    const auth = crypto.getRandomValues(new Uint8Array(16));
    const keys: BrowserKeys = {
      endpoint: this.url(path),
      p256dhKey: b64url(await crypto.subtle.exportKey("raw", pair.publicKey)),
      authKey: b64url(auth),
      privateKey: pair.privateKey,
      auth,
    };
    this.browsers.set(path, keys);
    return keys;
  }

  /** Resolves once `count` pushes have arrived in all (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length + this.rejected.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} pushes, got ${this.received.length} (rejected: ${this.rejected.join("; ")})`);
      await new Promise<void>((resolve) => {
        this.arrivals.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.received;
  }

  async stop(): Promise<void> {
    this.server.stop(true);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async receive(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const status = this.statuses.get(path) ?? 201;
    try {
      const browser = this.browsers.get(path);
      if (!browser) throw new Error(`no subscription at ${path}`);
      const { jwt, publicKey } = await verifyVapid(request.headers.get("authorization") ?? "", this.url("/"));
      if (request.headers.get("content-encoding") !== "aes128gcm") throw new Error("not aes128gcm");
      if (!request.headers.get("ttl")) throw new Error("no TTL header");
      const plain = await decrypt(new Uint8Array(await request.arrayBuffer()), browser);
      this.received.push({ path, headers: request.headers, jwt, publicKey, payload: JSON.parse(new TextDecoder().decode(plain)) });
    } catch (error) {
      this.rejected.push(`${path}: ${(error as Error).message}`);
    }
    for (const arrived of this.arrivals.splice(0)) arrived();
    return new Response(null, { status });
  }
}

/** Checks `vapid t=<JWT>, k=<public key>`: an ES256 signature by that key, for this push service's origin, not expired. */
async function verifyVapid(authorization: string, endpointUrl: string) {
  const match = authorization.match(/^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/);
  if (!match) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [token, publicKey] = [match[1]!, match[2]!];
  const [header, claims, signature] = token.split(".") as [string, string, string];
  if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "ES256") throw new Error("not ES256");
  const key = await crypto.subtle.importKey("raw", fromB64url(publicKey), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const valid = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, fromB64url(signature), utf8(`${header}.${claims}`));
  if (!valid) throw new Error("the VAPID signature does not verify");
  const jwt = JSON.parse(Buffer.from(claims, "base64url").toString()) as Received["jwt"];
  if (jwt.aud !== new URL(endpointUrl).origin) throw new Error(`aud ${jwt.aud}`);
  const inSeconds = jwt.exp - Date.now() / 1000;
  if (inSeconds <= 0 || inSeconds > 24 * 60 * 60) throw new Error(`exp ${jwt.exp} is not within the next 24 hours`);
  if (!jwt.sub.startsWith("mailto:") && !jwt.sub.startsWith("https:")) throw new Error(`sub ${jwt.sub}`);
  return { jwt, publicKey };
}

async function hkdf(salt: BufferSource, ikm: BufferSource, info: BufferSource, bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

/** RFC 8291 §3.4 and RFC 8188 §2: the one record a Web Push message is, decrypted with the browser's keys. */
async function decrypt(body: Uint8Array<ArrayBuffer>, browser: BrowserKeys): Promise<Uint8Array> {
  const salt = body.subarray(0, 16);
  const recordSize = new DataView(body.buffer, body.byteOffset + 16, 4).getUint32(0);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`keyid of ${idLength} bytes, not an uncompressed P-256 key`);
  if (ciphertext.length > recordSize) throw new Error("more than one record");
  const serverKey = await crypto.subtle.importKey("raw", serverPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: serverKey }, browser.privateKey, 256);
  const browserPublic = fromB64url(browser.p256dhKey);
  const keyInfo = new Uint8Array(Buffer.concat([utf8("WebPush: info\0"), browserPublic, serverPublic]));
  const ikm = await hkdf(browser.auth, shared, keyInfo, 32);
  const cek = await hkdf(salt, ikm, utf8("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, utf8("Content-Encoding: nonce\0"), 12);
  const aes = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, aes, ciphertext));
  // The last record ends with the delimiter 2, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end);
}
