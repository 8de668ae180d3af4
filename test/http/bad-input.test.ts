import { afterAll, beforeAll, expect, test } from "bun:test";
import { findAccount } from "../../src/accounts/accounts.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, MEMBER, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

// Every route (src/**/routes.tsx, src/app.ts) gets malformed, oversized, wrongly typed, missing and
// unicode-edge values in each field, malformed whole bodies, odd path segments and wrong methods.
// None may answer 5xx, and the server must be healthy after each.

let server: TestServer;
let admin: Client;
let roomId = 0;
let messageId = 0;

beforeAll(async () => {
  ({ server, admin } = await startQuickSetUpServer());
  const { user: member } = await addSignedInMember(server, MEMBER);
  roomId = await createRoom(admin, "closeds", { name: "Bad input", user_ids: [member.id] });
  const posted = await postMessage(admin, roomId, "a message to edit");
  messageId = Number(/message_(\d+)/.exec(await posted.text())![1]);
});
afterAll(() => server.close());

/** A field value as it goes on the wire: already percent-encoded, so that invalid encodings can be sent. */
type Wire = string;
const enc = (text: string): Wire => encodeURIComponent(text);

const BAD_VALUES: Record<string, Wire | null> = {
  missing: null,
  empty: "",
  blank: enc("  \t\n "),
  "far too long": "x".repeat(200_000),
  "NUL bytes": enc("a\0b\0"),
  "control characters": enc("\u0001\u0007\u001b[31m"),
  "right-to-left override": enc("\u202Egnp.exe"),
  "zero-width only": enc("\u200b\u200c\u200d\u2060\ufeff"),
  emoji: enc("🔥👨‍👩‍👧🏳️‍🌈"),
  "combining marks": enc("Z̴̡̛̖̗a̸̢͔̓l̵̨̛g̶̖̈́o"),
  "lone surrogate (invalid UTF-8)": "%ED%A0%80",
  "invalid UTF-8 byte": "%FF%FE",
  "broken percent-encoding": "%zz%",
  "negative number": "-1",
  "huge number": "1e309",
  "not a number": "NaN",
  hexadecimal: "0x10",
  "looks like an object": enc("[object Object]"),
  "looks like JSON": enc('{"$gt":""}'),
  "HTML and script": enc("<script>alert(1)</script><img src=x onerror=alert(1)>"),
};

type Route = { method: string; path: () => string; form?: Record<string, string>; query?: Record<string, string>; stranger?: boolean };

const ROUTES: Route[] = [
  { method: "POST", path: () => "/session", form: { email_address: "nobody@example.com", password: "wrong password" }, stranger: true },
  { method: "GET", path: () => "/session/new", query: { email_address: "a@example.com" }, stranger: true },
  {
    method: "POST",
    path: () => `/join/${findAccount(server.ctx)!.joinCode}`,
    form: { name: "New Person", email_address: "new@example.com", password: "long enough password" },
    stranger: true,
  },
  { method: "PATCH", path: () => "/account", form: { name: "Acme Chat", restrict_room_creation_to_administrators: "on" } },
  { method: "POST", path: () => "/account", form: { name: "Acme Chat" } },
  { method: "GET", path: () => "/autocompletable/users", query: { query: "a", room_id: String(roomId) } },
  { method: "GET", path: () => "/users/me/sidebar", query: { room_id: String(roomId) } },
  { method: "GET", path: () => "/rooms/new", query: { kind: "closed" } },
  { method: "POST", path: () => "/rooms/opens", form: { name: "Open room" } },
  { method: "POST", path: () => "/rooms/closeds", form: { name: "Closed room", user_ids: "1" } },
  { method: "GET", path: () => "/rooms/directs/new", query: { user_id: "1" } },
  { method: "POST", path: () => "/rooms/directs", form: { user_ids: "2" } },
  { method: "GET", path: () => `/rooms/${roomId}/edit`, query: { kind: "open" } },
  { method: "PATCH", path: () => `/rooms/closeds/${roomId}`, form: { name: "Bad input", user_ids: "2" } },
  { method: "PATCH", path: () => `/rooms/opens/${roomId + 100}`, form: { name: "Nobody's room" } },
  { method: "PATCH", path: () => `/rooms/${roomId}/involvement`, form: { involvement: "mentions" } },
  { method: "GET", path: () => `/rooms/${roomId}/messages`, query: { before: String(messageId), after: "0" } },
  { method: "POST", path: () => `/rooms/${roomId}/messages`, form: { body: "hello", client_message_id: "abc-123" } },
  {
    method: "POST",
    path: () => `/rooms/${roomId}/messages`,
    form: { body_html: "<div><strong>hello</strong></div>", client_message_id: "abc-124" },
  },
  { method: "PATCH", path: () => `/rooms/${roomId}/messages/${messageId}`, form: { body: "edited" } },
  { method: "POST", path: () => `/messages/${messageId}/boosts`, form: { content: "👍" } },
  { method: "GET", path: () => "/searches", query: { q: "message" } },
  { method: "POST", path: () => "/searches", form: { q: "message" } },
  { method: "POST", path: () => "/profile/avatar", form: { avatar: "not a file" } },
  { method: "GET", path: () => "/users/1/avatar", query: { v: "initials" } },
  { method: "PATCH", path: () => "/users/me/profile", form: { name: "Ada Admin", bio: "Runs things.", email_address: "ada@example.com" } },
  // A wrong current password, so a valid form changes nothing.
  { method: "POST", path: () => "/users/me/password", form: { current_password: "wrong password", password: "another long password" } },
  { method: "POST", path: () => "/users/2/role", form: { role: "member" } },
  { method: "POST", path: () => "/account/custom_styles", form: { custom_styles: "body { color: red; }", intent: "preview" } },
  { method: "GET", path: () => "/account/logo", query: { size: "512", v: "logo-x" } },
  { method: "GET", path: () => "/account/custom_styles.css", query: { v: "x" } },
  { method: "GET", path: () => "/account/audit", query: { before: "5" } },
  // A private address, so the valid form is refused by the guard without any connection.
  { method: "POST", path: () => "/unfurl_link", form: { url: "http://10.0.0.1/page" } },
];

// Paths with an id or a code in them, for odd segments.
const PATH_TEMPLATES = [
  "/rooms/:x",
  "/rooms/:x/edit",
  "/rooms/1/@:x",
  "/rooms/:x/messages",
  "/rooms/1/messages/:x",
  "/rooms/1/messages/:x/edit",
  "/messages/:x/boosts",
  "/messages/1/boosts/:x",
  "/rooms/opens/:x",
  "/rooms/:x/involvement",
  "/join/:x",
  "/assets/:x",
  "/attachments/:x",
  "/attachments/:x/preview",
  "/users/:x/avatar",
  "/unfurls/:x",
  "/users/:x",
  "/users/:x/ban",
  "/users/:x/role",
  "/users/me/sessions/:x/removal",
  "/session/transfers/:x",
];
const ODD_SEGMENTS = [
  "%zz",
  "%00",
  "%ED%A0%80",
  "%E2%80%AE1",
  "..%2F..%2Fetc%2Fpasswd",
  "x".repeat(5000),
  "-1",
  "9".repeat(400),
  "%F0%9F%94%A5",
  "null",
  "undefined",
];

const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

type Case = { name: string; method: string; path: string; body?: BodyInit; headers?: Record<string, string>; stranger?: boolean };

function formBody(form: Record<string, string>, field: string, value: Wire | null): string {
  return Object.entries(form)
    .filter(([name]) => name !== field || value !== null)
    .map(([name, given]) => `${name}=${name === field ? value : enc(given)}`)
    .join("&");
}

function queryString(query: Record<string, string>, field: string, value: Wire | null): string {
  return `?${formBody(query, field, value)}`;
}

function* cases(): Generator<Case> {
  const urlencoded = { "content-type": "application/x-www-form-urlencoded" };
  for (const route of ROUTES) {
    const label = `${route.method} ${route.path()}`;
    for (const [field, base] of Object.entries(route.form ?? {})) {
      for (const [what, value] of Object.entries(BAD_VALUES))
        yield {
          name: `${label} ${field}: ${what}`,
          method: route.method,
          path: route.path(),
          body: formBody(route.form!, field, value),
          headers: urlencoded,
          stranger: route.stranger,
        };
      yield {
        name: `${label} ${field} twice`,
        method: route.method,
        path: route.path(),
        body: `${formBody(route.form!, "", null)}&${field}=${enc(base)}`,
        headers: urlencoded,
        stranger: route.stranger,
      };
    }
    if (route.form) {
      const whole: [string, BodyInit, Record<string, string>][] = [
        ["no body", "", urlencoded],
        ["broken encoding", "%%%&&==&%zz=%", urlencoded],
        ["binary", new Uint8Array([0, 255, 254, 1, 2, 3, 0xed, 0xa0, 0x80]), urlencoded],
        ["JSON as a form", JSON.stringify(route.form), urlencoded],
        ["JSON", JSON.stringify(route.form), { "content-type": "application/json" }],
        [
          "JSON of the wrong types",
          JSON.stringify(Object.fromEntries(Object.keys(route.form).map((k) => [k, [{ a: 1 }]]))),
          { "content-type": "application/json" },
        ],
        ["plain text", "hello", { "content-type": "text/plain" }],
        ["no content type", formBody(route.form, "", null), {}],
        ["a made-up charset", formBody(route.form, "", null), { "content-type": "application/x-www-form-urlencoded; charset=utf-1024" }],
        [
          "truncated multipart",
          '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue',
          { "content-type": "multipart/form-data; boundary=b" },
        ],
        ["multipart without a boundary", "--b--", { "content-type": "multipart/form-data" }],
        [
          "a file where text belongs",
          Object.keys(route.form).reduce((form, name) => {
            form.append(name, new Blob(["\0\0\0"]), "x.bin");
            return form;
          }, new FormData()),
          {},
        ],
        ["prototype keys", "__proto__=x&constructor=y&toString=z&hasOwnProperty=w", urlencoded],
        ["ten thousand fields", Array.from({ length: 10_000 }, (_, i) => `f${i}=${i}`).join("&"), urlencoded],
        ["over a megabyte", `${formBody(route.form, "", null)}&pad=${"a".repeat(1_100_000)}`, urlencoded],
      ];
      for (const [what, body, headers] of whole)
        yield { name: `${label}: ${what}`, method: route.method, path: route.path(), body, headers, stranger: route.stranger };
    }
    for (const field of Object.keys(route.query ?? {}))
      for (const [what, value] of Object.entries(BAD_VALUES)) {
        if (what === "far too long") continue; // a URL that long is a 414 from Bun, below the app
        yield {
          name: `${label} ?${field}: ${what}`,
          method: route.method,
          path: route.path() + queryString(route.query!, field, value),
          stranger: route.stranger,
        };
      }
  }
  for (const template of PATH_TEMPLATES)
    for (const segment of ODD_SEGMENTS)
      for (const method of ["GET", "POST", "PATCH", "DELETE"])
        yield {
          name: `${method} ${template} with ${segment.slice(0, 30)}`,
          method,
          path: template.replace(":x", segment),
          body: method === "GET" ? undefined : "",
          headers: urlencoded,
        };
  const everyPath = [
    ...new Set([
      ...ROUTES.map((route) => route.path().replace(/\?.*/, "")),
      "/",
      "/up",
      "/first_run",
      "/session",
      "/account/join_code",
      "/account/edit",
      "/searches/clear",
      "/cable",
      "/rooms/1/@1",
      "/profile",
      "/profile/avatar/removal",
    ]),
  ];
  for (const path of everyPath)
    for (const method of ALL_METHODS) {
      if (method === "DELETE" && ["/session", "/searches/clear"].includes(path)) continue; // real actions, tested elsewhere
      yield { name: `${method} ${path}`, method, path, body: ["GET", "HEAD"].includes(method) ? undefined : "", headers: urlencoded };
    }
  for (const [what, cookie] of [
    ["a made-up session", "session_token=made-up"],
    ["a broken cookie header", "session_token=%zz; ;;=;last_room=0x1"],
    ["an enormous cookie", `session_token=${"a".repeat(7000)}`],
    ["a bad last room", "last_room=-1"],
  ] as const)
    for (const path of ["/", "/rooms/1", "/searches", "/account"])
      yield { name: `GET ${path} with ${what}`, method: "GET", path, headers: { cookie } };
  for (const [what, headers] of [
    ["JSON", { accept: "application/json" }],
    ["htmx", { "hx-request": "true" }],
    ["odd forwarding headers", { "x-forwarded-for": ", ::ffff:999.1.1.1, not-an-ip,,", "x-forwarded-proto": "gopher" }],
  ] as const)
    for (const route of ROUTES.filter((r) => r.form))
      yield {
        name: `${route.method} ${route.path()} as ${what}, bad body`,
        method: route.method,
        path: route.path(),
        body: "%zz",
        headers: { ...urlencoded, ...headers },
      };
}

async function send(one: Case): Promise<Response> {
  const headers = new Headers(one.headers);
  if (!one.stranger && !headers.has("cookie")) headers.set("cookie", [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
  headers.set("origin", server.url);
  return fetch(server.url + one.path, { method: one.method, headers, body: one.body, redirect: "manual" });
}

test("no route answers any bad input with a 5xx, and the server stays up after each", async () => {
  const problems: string[] = [];
  let count = 0;
  for (const one of cases()) {
    count++;
    let status: number | string;
    try {
      const response = await send(one);
      status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      status = `no answer (${(error as Error).message})`;
    }
    if (typeof status !== "number" || status >= 500) problems.push(`${one.name} → ${status}`);
    const up = await fetch(`${server.url}/up`);
    if (up.status !== 200) problems.push(`after ${one.name}: /up ${up.status}`);
  }
  console.log(`${count} bad requests`);
  expect(count).toBeGreaterThan(1000);
  expect(problems).toEqual([]);
  expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
}, 120_000);

test("the first-run form takes bad input without a 5xx too", async () => {
  const fresh = startTestServer();
  try {
    const form = { account_name: "Acme", name: "Ada", email_address: "ada@example.com", password: "long enough password" };
    const problems: string[] = [];
    for (const field of Object.keys(form))
      for (const [what, value] of Object.entries(BAD_VALUES)) {
        if (value !== null && /^[^%]*$/.test(value) && value.length < 100 && field !== "email_address") continue; // plain values could set it up
        const response = await fetch(`${fresh.url}/first_run`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: fresh.url },
          body: formBody(form, field, value),
          redirect: "manual",
        });
        if (response.status >= 500) problems.push(`${field}: ${what} → ${response.status}`);
      }
    expect(problems).toEqual([]);
    expect(fresh.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  } finally {
    await fresh.close();
  }
}, 60_000);
