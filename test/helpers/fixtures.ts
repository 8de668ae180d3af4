import { expect } from "bun:test";
import { createUser, hashPassword, type User } from "../../src/users/users.ts";
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
