import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "bun";
import { type FetchLimits, FetchRefused, type GuardOptions, guardedFetch, type Resolver } from "../../src/unfurl/guarded-fetch.ts";
import { run } from "../helpers/processes.ts";

// Only loopback is reachable here, and tests send nothing anywhere else: a "public" site is a Bun
// server on 127.0.0.1 that the guard is told to allow, and names resolve through a resolver played
// by the test. Addresses like 10.0.0.1 appear only as answers the guard must refuse before connecting.
const HTML: FetchLimits = { accept: ["text/html"], maxBytes: 5 * 1024 * 1024, timeoutMs: 5000 };
const ALLOW_LOCAL: GuardOptions = { allow: new Set(["127.0.0.1"]) };

type Site = { server: Server<undefined>; hits: Request[]; url: string };
const sites: Site[] = [];

function site(hostname: string, handle: (request: Request, url: URL) => Response | Promise<Response>): Site {
  const hits: Request[] = [];
  const server = Bun.serve({
    hostname,
    port: 0,
    fetch(request) {
      hits.push(request);
      return handle(request, new URL(request.url));
    },
  });
  const made = { server, hits, url: `http://${hostname}:${server.port}` };
  sites.push(made);
  return made;
}

let page: Site;
let elsewhere: Site;

beforeAll(() => {
  // Another loopback address: reachable on this machine, and never allowed.
  elsewhere = site("127.0.0.2", () => new Response("<title>Internal</title>", { headers: { "content-type": "text/html" } }));
  page = site("127.0.0.1", (request, url) => {
    const html = (body: string) => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
    switch (url.pathname) {
      case "/":
        return html(`<title>Home</title><p>host=${request.headers.get("host")}</p>`);
      case "/to-internal":
        return Response.redirect(`${elsewhere.url}/`, 302);
      case "/to-private":
        return Response.redirect("http://10.0.0.1/", 301);
      case "/to-file":
        return new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } });
      case "/to-home":
        return new Response(null, { status: 307, headers: { location: "/" } });
      case "/to-same-name":
        return new Response(null, { status: 302, headers: { location: `http://rebind.test:${page.server.port}/` } });
      case "/loop":
        return new Response(null, {
          status: 302,
          headers: { location: `/loop?${Number(url.searchParams.toString().split("=")[0] || 0) + 1}` },
        });
      case "/json":
        return Response.json({ title: "not a page" });
      case "/big": {
        // 6 MB, streamed without a Content-Length.
        let sent = 0;
        const chunk = new Uint8Array(64 * 1024).fill(97);
        const body = new ReadableStream({
          pull(controller) {
            if (sent >= 6 * 1024 * 1024) return controller.close();
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        return new Response(body, { headers: { "content-type": "text/html" } });
      }
      case "/slow":
        return Bun.sleep(3000).then(() => html("<title>Late</title>"));
      case "/missing":
        return new Response("no", { status: 404, headers: { "content-type": "text/html" } });
      default:
        return new Response("?", { status: 500 });
    }
  });
});

afterAll(() => {
  for (const { server } of sites) server.stop(true);
});

const text = (body: Uint8Array) => new TextDecoder().decode(body);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchRefused) return error.message;
    throw error;
  }
  throw new Error("the fetch was not refused");
}

/** A DNS server that answers `answers[n]` to the n-th question, and counts them. */
function playedResolver(...answers: string[][]): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    const addresses = answers[Math.min(asked.length, answers.length - 1)]!;
    asked.push(host);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

test("an allowed local server is fetched, with the URL's own Host", async () => {
  const fetched = await guardedFetch(`${page.url}/`, HTML, ALLOW_LOCAL);
  expect(fetched.contentType).toBe("text/html");
  expect(text(fetched.body)).toContain(`host=127.0.0.1:${page.server.port}`);
});

test("without the test allowance the same local server is refused, before any connection", async () => {
  const before = page.hits.length;
  expect(await refusal(guardedFetch(`${page.url}/`, HTML))).toContain("private");
  expect(await refusal(guardedFetch(`http://localhost:${page.server.port}/`, HTML))).toContain("private");
  expect(await refusal(guardedFetch(`http://[::1]:${page.server.port}/`, HTML))).toContain("private");
  expect(await refusal(guardedFetch(`http://[::ffff:127.0.0.1]:${page.server.port}/`, HTML))).toContain("private");
  // The URL parser's other spellings of 127.0.0.1 are the same address.
  expect(await refusal(guardedFetch(`http://0x7f.1:${page.server.port}/`, HTML))).toContain("private");
  expect(await refusal(guardedFetch(`http://2130706433:${page.server.port}/`, HTML))).toContain("private");
  expect(page.hits.length).toBe(before);
});

test("only http and https URLs are fetched, and none with credentials", async () => {
  expect(await refusal(guardedFetch("file:///etc/passwd", HTML, ALLOW_LOCAL))).toContain("not http");
  expect(await refusal(guardedFetch("ftp://127.0.0.1/", HTML, ALLOW_LOCAL))).toContain("not http");
  expect(await refusal(guardedFetch(`http://me:secret@127.0.0.1:${page.server.port}/`, HTML, ALLOW_LOCAL))).toContain("credentials");
});

test("a redirect into a private range is refused: each hop is checked again", async () => {
  expect(await refusal(guardedFetch(`${page.url}/to-internal`, HTML, ALLOW_LOCAL))).toContain("private");
  expect(await refusal(guardedFetch(`${page.url}/to-private`, HTML, ALLOW_LOCAL))).toContain("private");
  expect(await refusal(guardedFetch(`${page.url}/to-file`, HTML, ALLOW_LOCAL))).toContain("not http");
  expect(elsewhere.hits.length).toBe(0);
});

test("redirects are followed to a page, at most 10 of them", async () => {
  const fetched = await guardedFetch(`${page.url}/to-home`, HTML, ALLOW_LOCAL);
  expect(fetched.url.pathname).toBe("/");
  const before = page.hits.length;
  expect(await refusal(guardedFetch(`${page.url}/loop`, HTML, ALLOW_LOCAL))).toBe("more than 10 redirects");
  expect(page.hits.length - before).toBe(11);
});

test("a rebinding resolver can't move the connection: it goes to the address that was checked", async () => {
  // First answer: an (allowed) public address; any later one: a private address.
  const resolve = playedResolver(["127.0.0.1"], ["10.0.0.1"]);
  const fetched = await guardedFetch(`http://rebind.test:${page.server.port}/`, HTML, { ...ALLOW_LOCAL, resolve });
  expect(text(fetched.body)).toContain(`host=rebind.test:${page.server.port}`);
  expect(resolve.asked).toEqual(["rebind.test"]);
});

test("a redirect back to the same name is resolved again, and refused when it now answers privately", async () => {
  const resolve = playedResolver(["127.0.0.1"], ["10.0.0.1"]);
  expect(await refusal(guardedFetch(`http://rebind.test:${page.server.port}/to-same-name`, HTML, { ...ALLOW_LOCAL, resolve }))).toContain(
    "private",
  );
  expect(resolve.asked).toEqual(["rebind.test", "rebind.test"]);
});

test("of several answers the public ones are used, IPv4 first; only private answers are refused", async () => {
  const mixed = playedResolver(["10.0.0.1", "::1", "fd00::1", "127.0.0.1"]);
  const fetched = await guardedFetch(`http://mixed.test:${page.server.port}/`, HTML, { ...ALLOW_LOCAL, resolve: mixed });
  expect(text(fetched.body)).toContain("host=mixed.test");
  const privateOnly = playedResolver(["10.0.0.1", "192.168.1.1", "::1", "fe80::1"]);
  expect(await refusal(guardedFetch("http://private.test/", HTML, { ...ALLOW_LOCAL, resolve: privateOnly }))).toContain("private");
  expect(await refusal(guardedFetch("http://nothing.test/", HTML, { ...ALLOW_LOCAL, resolve: playedResolver([]) }))).toContain(
    "does not resolve",
  );
});

test("only text/html of status 200 is read", async () => {
  expect(await refusal(guardedFetch(`${page.url}/json`, HTML, ALLOW_LOCAL))).toBe("type application/json");
  expect(await refusal(guardedFetch(`${page.url}/missing`, HTML, ALLOW_LOCAL))).toBe("status 404");
});

test("a body over 5 MB is refused, whether it says so or streams on", async () => {
  // Bun.serve writes its own Content-Length, so this site speaks raw HTTP: it announces 6 MB and sends none of it.
  const announcing = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6291456\r\n\r\n<title>");
      },
    },
  });
  try {
    expect(await refusal(guardedFetch(`http://127.0.0.1:${announcing.port}/`, HTML, ALLOW_LOCAL))).toBe("too large");
  } finally {
    announcing.stop(true);
  }
  expect(await refusal(guardedFetch(`${page.url}/big`, HTML, ALLOW_LOCAL))).toBe("too large");
});

test("a name that takes too long to resolve is given up on", async () => {
  const started = performance.now();
  const stalled: Resolver = () => Bun.sleep(3000).then(() => [{ address: "127.0.0.1", family: 4 }]);
  const error = await guardedFetch("http://slow-dns.test/", { ...HTML, timeoutMs: 300 }, { ...ALLOW_LOCAL, resolve: stalled }).catch(
    (e: Error) => e,
  );
  expect((error as Error).name).toBe("TimeoutError");
  expect(performance.now() - started).toBeLessThan(2000);
});

test("a site that doesn't answer in time is given up on", async () => {
  const started = performance.now();
  const error = await guardedFetch(`${page.url}/slow`, { ...HTML, timeoutMs: 300 }, ALLOW_LOCAL).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe("TimeoutError");
  expect(performance.now() - started).toBeLessThan(2000);
});

test("https is pinned too: the certificate is checked against the URL's name, not the address connected to", async () => {
  const dir = mkdtempSync(join(tmpdir(), "campfire-tls-"));
  const [certPath, keyPath] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  const made = await run([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=secure.test",
    "-addext",
    "subjectAltName=DNS:secure.test",
    "-keyout",
    keyPath,
    "-out",
    certPath,
  ]);
  expect(made.exitCode).toBe(0);
  const secure = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: Bun.file(certPath), key: Bun.file(keyPath) },
    fetch: (request) =>
      new Response(`<title>Secure</title>host=${request.headers.get("host")}`, { headers: { "content-type": "text/html" } }),
  });
  try {
    const guard = { ...ALLOW_LOCAL, ca: readFileSync(certPath, "utf8"), resolve: playedResolver(["127.0.0.1"]) };
    const fetched = await guardedFetch(`https://secure.test:${secure.port}/`, HTML, guard);
    expect(text(fetched.body)).toContain(`host=secure.test:${secure.port}`);
    // Another name resolving to the same address doesn't match the certificate: refused by TLS.
    const error = await guardedFetch(`https://other.test:${secure.port}/`, HTML, guard).catch((e: Error) => e);
    expect(String(error)).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
  } finally {
    secure.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
});
