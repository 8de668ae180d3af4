/**
 * Which addresses a server-side fetch of a URL someone pasted may connect to: public unicast only.
 * Any member can make the server fetch a link preview, so without this a pasted
 * `http://169.254.169.254/` or `http://localhost:8080/admin` would reach what only this machine
 * can. The refused ranges are FEATURES.md §3's, matching the original's guard (gem surfguard).
 * Pure: no I/O here; guarded-fetch.ts resolves names and connects to the address checked here.
 */

type Range = { bytes: number[]; prefix: number };

const IPV4_REFUSED = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // private
  "100.64.0.0/10", // carrier-grade NAT
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local, cloud metadata
  "172.16.0.0/12", // private
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // documentation
  "192.88.99.0/24", // 6to4 relay anycast
  "192.168.0.0/16", // private
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // documentation
  "203.0.113.0/24", // documentation
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, broadcast
].map(parseRange);

const IPV6_REFUSED = [
  "::/96", // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
  "::ffff:0:0/96", // IPv4-mapped: a connection to it reaches the IPv4 address
  "64:ff9b:1::/48", // local-use IPv4/IPv6 translation
  "100::/64", // discard
  "2001::/32", // Teredo (tunnels to an IPv4 address of the server's choosing)
  "2001:2::/48", // benchmarking
  "2001:db8::/32", // documentation
  "2002::/16", // 6to4 (embeds an IPv4 address)
  "fc00::/7", // unique local
  "fe80::/10", // link-local
  "fec0::/10", // site-local (deprecated)
  "ff00::/8", // multicast
].map(parseRange);

// Translated forms whose last 32 bits are an IPv4 address the packets end up at: allowed only if
// that address is.
const IPV4_TRANSLATED = [
  "64:ff9b::/96", // NAT64 well-known prefix
  "::ffff:0:0:0/96", // SIIT, IPv4-translated
].map(parseRange);

/** True only for an address (IPv4 or IPv6 text) outside every refused range; anything unparsable is refused. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return isPublicIPv4(v4);
  const v6 = parseIPv6(address);
  if (!v6) return false;
  if (IPV4_TRANSLATED.some((range) => inRange(v6, range))) return isPublicIPv4(v6.slice(12));
  return !IPV6_REFUSED.some((range) => inRange(v6, range));
}

const isPublicIPv4 = (bytes: number[]): boolean => !IPV4_REFUSED.some((range) => inRange(bytes, range));

/** Strict dotted quad, as resolvers and the URL parser write it: four decimal parts 0–255, no leading zeros. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/**
 * An IPv6 address as 16 bytes: hex groups, one `::`, an IPv4 tail (`::ffff:10.0.0.1`), with or
 * without URL brackets. A zone (`fe80::1%eth0`) names an interface, so it is refused as unparsable.
 */
export function parseIPv6(text: string): number[] | null {
  let rest = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!rest.includes(":") || rest.includes("%")) return null;
  const lastColon = rest.lastIndexOf(":");
  if (rest.slice(lastColon + 1).includes(".")) {
    // The IPv4 tail is the last two groups written another way.
    const v4 = parseIPv4(rest.slice(lastColon + 1));
    if (!v4) return null;
    rest = `${rest.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]!);
  const after = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - after.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const bytes: number[] = [];
  for (const group of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...after]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

function parseRange(cidr: string): Range {
  const [address, prefix] = cidr.split("/") as [string, string];
  const bytes = parseIPv4(address) ?? parseIPv6(address);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, prefix: Number(prefix) };
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const bits = Math.min(8, range.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (range.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}
