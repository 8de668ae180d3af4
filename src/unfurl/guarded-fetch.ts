import { lookup } from "node:dns/promises";
import { isPublicAddress, parseIPv4, parseIPv6 } from "./private-network-guard.ts";

export type ResolvedAddress = { address: string; family: number };
/** Names → addresses; injected so tests can play a rebinding DNS server. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** The system's resolver (hosts file, then DNS), as the rest of the machine sees names. */
export const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export type GuardOptions = {
  resolve?: Resolver;
  /**
   * Test-only: these exact addresses count as public, so tests can fetch from a server on
   * 127.0.0.1. Set by the test helper through startServer's options, never from configuration.
   */
  allow?: ReadonlySet<string>;
  /** Test-only: a certificate authority to trust, so tests can check that HTTPS is pinned and verified by name. */
  ca?: string;
};

export type FetchLimits = {
  /** Media types (without parameters) the body may have. */
  accept: readonly string[];
  maxBytes: number;
  /** For everything: resolving, connecting, every redirect and reading the body. */
  timeoutMs: number;
};

export type Fetched = { url: URL; contentType: string; body: Uint8Array };

/** Why a fetch was not made or not kept; the message is for logs, never shown as page content. */
export class FetchRefused extends Error {}

// The original's limit; real sites rarely chain more than 3.
export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = "Campfire link preview (+https://once.com/campfire)";

/**
 * GETs a URL someone pasted, without letting it reach a private network: each hop's host is
 * resolved once, the address is checked, and the connection goes to that very address (the URL's
 * name only travels as the Host header and the TLS server name), so a DNS answer that changes
 * between check and connect (rebinding) changes nothing. Redirects are followed by hand, each one
 * checked the same way. Throws FetchRefused, or the network's own error.
 */
export async function guardedFetch(address: string | URL, limits: FetchLimits, guard: GuardOptions = {}): Promise<Fetched> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = httpUrl(address);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // The system resolver takes no signal, and may retry for longer than the whole allowance.
    const address = await Promise.race([checkedAddress(url, guard), whenAborted(signal)]);
    const response = await connect(url, address, limits, signal, guard.ca);
    const location = response.headers.get("location");
    if (REDIRECTS.has(response.status) && location) {
      await response.body?.cancel();
      url = httpUrl(new URL(location, url));
      continue;
    }
    return { url, ...(await readBody(response, limits)) };
  }
  throw new FetchRefused(`more than ${MAX_REDIRECTS} redirects`);
}

function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function httpUrl(address: string | URL): URL {
  const url = new URL(address);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchRefused(`not http(s): ${url.protocol}`);
  if (url.username || url.password) throw new FetchRefused("credentials in the URL");
  return url;
}

/** The one address this hop connects to: the host itself if it is an address, else the first public answer, IPv4 first. */
async function checkedAddress(url: URL, { resolve = systemResolver, allow }: GuardOptions): Promise<string> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = parseIPv4(host) !== null || parseIPv6(host) !== null;
  const answers = literal ? [{ address: host, family: host.includes(":") ? 6 : 4 }] : await resolve(host);
  if (answers.length === 0) throw new FetchRefused(`${host} does not resolve`);
  const usable = answers.filter(({ address }) => allow?.has(address) || isPublicAddress(address));
  const chosen = usable.find(({ family }) => family === 4) ?? usable[0];
  if (!chosen) throw new FetchRefused(`${host} resolves only to private addresses`);
  return chosen.address;
}

function connect(url: URL, address: string, limits: FetchLimits, signal: AbortSignal, ca?: string): Promise<Response> {
  return pinnedFetch(url, address, { signal, headers: { "User-Agent": USER_AGENT, Accept: limits.accept.join(", ") } }, ca);
}

/** Connects to the checked address, the URL's name travelling only as the Host header and the TLS server name. */
function pinnedFetch(url: URL, address: string, init: RequestInit & { headers: Record<string, string> }, ca?: string): Promise<Response> {
  const pinned = new URL(url);
  pinned.hostname = address.includes(":") ? `[${address}]` : address;
  const byName = parseIPv4(url.hostname) === null && parseIPv6(url.hostname) === null;
  return fetch(pinned, {
    ...init,
    redirect: "manual",
    headers: { ...init.headers, Host: url.host },
    // The certificate is checked against the name, as if we had connected by name.
    tls: byName ? { serverName: url.hostname, ca } : { ca },
  });
}

/**
 * POSTs to an https URL a browser handed us (a Web Push endpoint) under the same guard: the one
 * address checked is the one connected to, and a redirect is an answer, not followed. Answers the
 * status (the body is not wanted); throws FetchRefused or the network's error.
 */
export async function guardedPost(
  address: string,
  request: { headers: Record<string, string>; body: Uint8Array<ArrayBuffer> | null; timeoutMs: number },
  guard: GuardOptions = {},
): Promise<number> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  const url = httpUrl(address);
  if (url.protocol !== "https:") throw new FetchRefused("not https");
  const checked = await Promise.race([checkedAddress(url, guard), whenAborted(signal)]);
  const response = await pinnedFetch(url, checked, { method: "POST", signal, headers: request.headers, body: request.body }, guard.ca);
  await response.body?.cancel().catch(() => {});
  return response.status;
}

/** The body if it is 200, of an accepted type and within the size limit, counted as it streams. */
async function readBody(response: Response, { accept, maxBytes }: FetchLimits): Promise<{ contentType: string; body: Uint8Array }> {
  try {
    if (response.status !== 200) throw new FetchRefused(`status ${response.status}`);
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!accept.includes(contentType)) throw new FetchRefused(`type ${contentType || "(none)"}`);
    if (Number(response.headers.get("content-length") ?? 0) > maxBytes) throw new FetchRefused("too large");
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new FetchRefused("too large");
      chunks.push(chunk);
    }
    return { contentType, body: Buffer.concat(chunks) };
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    throw error;
  }
}
