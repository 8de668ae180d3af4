import { expect, test } from "bun:test";
import { isPublicAddress, parseIPv6 } from "../../src/unfurl/private-network-guard.ts";

// Every range of FEATURES.md §3, by its first and last address, and the addresses just outside it
// (where they are not in a neighbouring range) to show the boundaries are where §3 puts them.
const REFUSED_IPV4: [range: string, first: string, last: string][] = [
  ["0.0.0.0/8", "0.0.0.0", "0.255.255.255"],
  ["10.0.0.0/8", "10.0.0.0", "10.255.255.255"],
  ["100.64.0.0/10", "100.64.0.0", "100.127.255.255"],
  ["127.0.0.0/8", "127.0.0.0", "127.255.255.255"],
  ["169.254.0.0/16", "169.254.0.0", "169.254.255.255"],
  ["172.16.0.0/12", "172.16.0.0", "172.31.255.255"],
  ["192.0.0.0/24", "192.0.0.0", "192.0.0.255"],
  ["192.0.2.0/24", "192.0.2.0", "192.0.2.255"],
  ["192.88.99.0/24", "192.88.99.0", "192.88.99.255"],
  ["192.168.0.0/16", "192.168.0.0", "192.168.255.255"],
  ["198.18.0.0/15", "198.18.0.0", "198.19.255.255"],
  ["198.51.100.0/24", "198.51.100.0", "198.51.100.255"],
  ["203.0.113.0/24", "203.0.113.0", "203.0.113.255"],
  ["224.0.0.0/4", "224.0.0.0", "239.255.255.255"],
  ["240.0.0.0/4", "240.0.0.0", "255.255.255.255"],
];

const PUBLIC_IPV4_NEIGHBOURS = [
  "1.0.0.0",
  "9.255.255.255",
  "11.0.0.0",
  "100.63.255.255",
  "100.128.0.0",
  "126.255.255.255",
  "128.0.0.0",
  "169.253.255.255",
  "169.255.0.0",
  "172.15.255.255",
  "172.32.0.0",
  "191.255.255.255",
  "192.0.1.0",
  "192.0.3.0",
  "192.88.98.255",
  "192.88.100.0",
  "192.167.255.255",
  "192.169.0.0",
  "198.17.255.255",
  "198.20.0.0",
  "198.51.99.255",
  "198.51.101.0",
  "203.0.112.255",
  "203.0.114.0",
  "223.255.255.255",
  "8.8.8.8",
  "93.184.216.34",
];

const REFUSED_IPV6: [range: string, examples: string[]][] = [
  ["::/128", ["::", "0:0:0:0:0:0:0:0"]],
  ["::1/128", ["::1", "0:0:0:0:0:0:0:1", "[::1]"]],
  ["IPv4-compatible ::/96", ["::127.0.0.1", "::8.8.8.8", "::a00:1", "::ffff"]],
  ["IPv4-mapped ::ffff:0:0/96", ["::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:8.8.8.8", "0:0:0:0:0:ffff:c0a8:101"]],
  ["64:ff9b:1::/48", ["64:ff9b:1::", "64:ff9b:1::808:808", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"]],
  ["100::/64", ["100::", "100::ffff:ffff:ffff:ffff"]],
  ["2001::/32 Teredo", ["2001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["2001:2::/48", ["2001:2::", "2001:2:0:ffff::1"]],
  ["2001:db8::/32", ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:DB8::1"]],
  ["2002::/16 6to4", ["2002::", "2002:c0a8:101::1", "2002:808:808::1", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["fc00::/7", ["fc00::", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["fe80::/10", ["fe80::", "fe80::1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["fec0::/10", ["fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["ff00::/8", ["ff00::", "ff02::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]],
  ["NAT64 64:ff9b::/96 of a private IPv4", ["64:ff9b::127.0.0.1", "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe"]],
  ["SIIT ::ffff:0:0:0/96 of a private IPv4", ["::ffff:0:127.0.0.1", "::ffff:0:a00:1", "0:0:0:0:ffff:0:a9fe:a9fe"]],
];

const PUBLIC_IPV6 = [
  "2606:4700:4700::1111",
  "2a00:1450:4001:80b::200e",
  "2001:4860:4860::8888",
  "2001:1::", // just past Teredo's 2001::/32
  "2001:3::1",
  "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
  "2001:db9::",
  "2003::1",
  "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
  "100:0:0:1::",
  "::1:0:0:0",
  "64:ff9b:2::1",
  "64:ff9b::8.8.8.8",
  "64:ff9b::808:808", // NAT64 of a public IPv4: decoded and allowed
  "::ffff:0:8.8.8.8", // SIIT of a public IPv4
];

const UNPARSABLE = [
  "",
  "localhost",
  "example.com",
  "1.2.3",
  "1.2.3.4.5",
  "256.1.1.1",
  "01.2.3.4",
  "0x7f.0.0.1",
  "2130706433",
  "1.2.3.4 ",
  "::1::",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7",
  "12345::",
  "fe80::1%eth0",
  "::ffff:1.2.3",
  "::ffff:999.1.1.1",
  "g::1",
  ":::",
];

test.each(REFUSED_IPV4)("IPv4 %s is refused from its first to its last address", (_, first, last) => {
  expect(isPublicAddress(first)).toBe(false);
  expect(isPublicAddress(last)).toBe(false);
});

test.each(PUBLIC_IPV4_NEIGHBOURS)("IPv4 %s, outside every range, is allowed", (address) => {
  expect(isPublicAddress(address)).toBe(true);
});

test.each(REFUSED_IPV6)("IPv6 %s is refused", (_, examples) => {
  for (const address of examples) expect([address, isPublicAddress(address)]).toEqual([address, false]);
});

test.each(PUBLIC_IPV6)("IPv6 %s is allowed", (address) => {
  expect(isPublicAddress(address)).toBe(true);
});

test.each(UNPARSABLE)("anything that is not an address (%p) is refused", (text) => {
  expect(isPublicAddress(text)).toBe(false);
});

test("IPv6 forms read as the same 16 bytes", () => {
  const loopback = [...Array(15).fill(0), 1];
  expect(parseIPv6("::1")).toEqual(loopback);
  expect(parseIPv6("0:0:0:0:0:0:0:1")).toEqual(loopback);
  expect(parseIPv6("0000:0000:0000:0000:0000:0000:0000:0001")).toEqual(loopback);
  expect(parseIPv6("::0.0.0.1")).toEqual(loopback);
  expect(parseIPv6("::ffff:10.0.0.1")).toEqual(parseIPv6("::ffff:a00:1"));
  expect(parseIPv6("1::")).toEqual([0, 1, ...Array(14).fill(0)]);
});
