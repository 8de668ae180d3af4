import { expect } from "bun:test";
import { createAccount } from "../../src/accounts/accounts.ts";
import { DEFAULT_ROOM_NAME } from "../../src/first-run/first-run.ts";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { createUser, findUserByEmail, hashPassword, type User } from "../../src/users/users.ts";
import { Client } from "./client.ts";
import { startTestServer, type TestServer } from "./server.ts";

export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery staple" };
export const MEMBER = { name: "Milo Member", email: "milo@example.com", password: "milo's long password" };

/** Runs the first-run form over HTTP, as the first person would; returns their signed-in client. */
export async function completeFirstRun(server: TestServer, accountName = "Acme Chat"): Promise<Client> {
  const admin = new Client(server.url);
  const response = await admin.post("/first_run", {
    account_name: accountName,
    name: ADMIN.name,
    email_address: ADMIN.email,
    password: ADMIN.password,
  });
  expect(response.status).toBe(303);
  return admin;
}

/** A fresh server, already set up through the first-run form, with its administrator signed in. */
export async function startSetUpServer(): Promise<{ server: TestServer; admin: Client }> {
  const server = startTestServer();
  return { server, admin: await completeFirstRun(server) };
}

/** A second person in the database, for tests that need one who is not the administrator. */
export async function addMember(server: TestServer, person = MEMBER): Promise<User> {
  return createUser(server.db, {
    name: person.name,
    emailAddress: person.email,
    passwordDigest: await hashPassword(person.password),
    role: "member",
  });
}

export async function signIn(server: TestServer, email: string, password: string): Promise<{ client: Client; response: Response }> {
  const client = new Client(server.url);
  const response = await client.post("/session", { email_address: email, password });
  return { client, response };
}

/** A real bcrypt digest at the lowest cost: checking it takes a millisecond instead of the real cost's ~60. */
const cheapDigest = (password: string): Promise<string> => Bun.password.hash(password, { algorithm: "bcrypt", cost: 4 });

/**
 * The state startSetUpServer leaves (account "Acme Chat", administrator ADMIN signed in over HTTP,
 * the "All Talk" open room as room 1), made with the domain functions and a cheap password hash:
 * the first-run form's real hash would add ~60 ms to each of the many room and message tests.
 */
export async function startQuickSetUpServer(server = startTestServer()): Promise<{ server: TestServer; admin: Client }> {
  const passwordDigest = await cheapDigest(ADMIN.password);
  server.db.transaction(() => {
    createAccount(server.db, "Acme Chat");
    const admin = createUser(server.db, { name: ADMIN.name, emailAddress: ADMIN.email, passwordDigest, role: "admin" });
    createOpenRoom(server.db, admin, DEFAULT_ROOM_NAME);
  })();
  const { client, response } = await signIn(server, ADMIN.email, ADMIN.password);
  expect(response.status).toBe(303);
  return { server, admin: client };
}

export const THIRD = { name: "Tess Third", email: "tess@example.com", password: "tess's long password" };

/** A member created with a cheap password hash and signed in over HTTP, for tests that need several people. */
export async function addSignedInMember(server: TestServer, person = MEMBER): Promise<{ user: User; client: Client }> {
  const user = createUser(server.db, {
    name: person.name,
    emailAddress: person.email,
    passwordDigest: await cheapDigest(person.password),
    role: "member",
  });
  const { client, response } = await signIn(server, person.email, person.password);
  expect(response.status).toBe(303);
  return { user, client };
}

export type ThreePeople = {
  server: TestServer;
  admin: Client;
  adminUser: User;
  member: Client;
  memberUser: User;
  third: Client;
  thirdUser: User;
};

/** A set-up server with three signed-in people: the administrator, a member and a third person. */
export async function startThreePersonServer(): Promise<ThreePeople> {
  const { server, admin } = await startQuickSetUpServer();
  const { user: memberUser, client: member } = await addSignedInMember(server, MEMBER);
  const { user: thirdUser, client: third } = await addSignedInMember(server, THIRD);
  return { server, admin, adminUser: findUserByEmail(server.db, ADMIN.email)!, member, memberUser, third, thirdUser };
}

/** Fields for a form whose names may repeat (`user_ids`), in the order given. */
export type FormFields = Record<string, string | number | readonly (string | number)[]>;

/**
 * Sends a body the Client's flat form cannot express (a repeated field, a raw or malformed body)
 * with the client's cookies and a same-origin Origin, like a browser form would.
 */
export function sendBody(
  client: Client,
  path: string,
  body: BodyInit,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  headers.set("cookie", [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
  if (!headers.has("origin")) headers.set("origin", client.base);
  return fetch(client.base + path, { method: options.method ?? "POST", headers, body, redirect: "manual" });
}

/** A urlencoded form with repeated names, as a browser sends a people picker's `user_ids`. */
export function sendForm(
  client: Client,
  path: string,
  fields: FormFields,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const one of typeof value === "object" ? value : [value]) params.append(name, String(one));
  return sendBody(client, path, params, options);
}

/** Creates a room over HTTP (`opens`, `closeds` or `directs`) and returns its id from the redirect. */
export async function createRoom(client: Client, kind: "opens" | "closeds" | "directs", fields: FormFields): Promise<number> {
  const response = await sendForm(client, `/rooms/${kind}`, fields);
  expect(response.status).toBe(303);
  return roomIdFrom(response);
}

/** The room id a creation redirect (`Location` or `HX-Redirect`: /rooms/<id>) points to. */
export function roomIdFrom(response: Response): number {
  const location = response.headers.get("location") ?? response.headers.get("hx-redirect") ?? "";
  const match = location.match(/^\/rooms\/(\d+)$/);
  if (!match) throw new Error(`expected a redirect to a room, got ${response.status} ${location}`);
  return Number(match[1]);
}

/** Posts a message over HTTP as the composer does. */
export function postMessage(client: Client, roomId: number, body: string, clientMessageId?: string): Promise<Response> {
  return client.post(`/rooms/${roomId}/messages`, clientMessageId === undefined ? { body } : { body, client_message_id: clientMessageId });
}

/** The message ids in a page or fragment, in document order. */
export const messageIdsIn = (html: string): number[] => [...html.matchAll(/id="message_(\d+)"/g)].map((m) => Number(m[1]));

/** The room ids listed in one of the sidebar's lists (`shared_rooms` or `direct_rooms`), top to bottom. */
export function sidebarRoomIds(html: string, list: "shared_rooms" | "direct_rooms"): number[] {
  const start = html.indexOf(`id="${list}"`);
  if (start < 0) return [];
  const section = html.slice(start, html.indexOf("</ul>", start));
  return [...section.matchAll(/id="sidebar_room_(\d+)"/g)].map((m) => Number(m[1]));
}

/** The `class` attribute of a room's sidebar item, or null when the room is not in the sidebar. */
export function sidebarItemClass(html: string, roomId: number): string | null {
  return html.match(new RegExp(`<li id="sidebar_room_${roomId}" class="([^"]*)"`))?.[1] ?? null;
}
