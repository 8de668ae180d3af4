// The limit Campfire is measured against: the least a Bun server can do for the same work, with
// nothing else. A post is one prepared SQLite insert (with an FTS5 trigger, as ours has), then one
// server.publish of a fragment padded to the size of ours; a socket subscribes when it enters.
// Usage: bun bench/limit-server.ts PORT DATA_DIR FRAME_BYTES
import { Database } from "bun:sqlite";
import { join } from "node:path";

const [portArg, dataDir, frameBytesArg] = Bun.argv.slice(2);
if (!portArg || !dataDir || !frameBytesArg) throw new Error("usage: bun bench/limit-server.ts PORT DATA_DIR FRAME_BYTES");
const frameBytes = Number(frameBytesArg);

const db = new Database(join(dataDir, "limit.sqlite3"), { create: true, strict: true });
db.run("PRAGMA journal_mode = WAL");
db.run("PRAGMA synchronous = NORMAL");
db.run(`CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL, client_message_id TEXT NOT NULL,
  body TEXT NOT NULL, created_at INTEGER NOT NULL)`);
db.run(
  "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (body, content = 'messages', content_rowid = 'id', tokenize = 'porter unicode61')",
);
db.run(`CREATE TRIGGER IF NOT EXISTS messages_search AFTER INSERT ON messages BEGIN
  INSERT INTO search (rowid, body) VALUES (new.id, new.body); END`);
const insert = db.query("INSERT INTO messages (room_id, client_message_id, body, created_at) VALUES (?, ?, ?, ?)");

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const server = Bun.serve<undefined>({
  port: Number(portArg),
  hostname: "127.0.0.1",
  async fetch(request, server) {
    const url = new URL(request.url);
    if (url.pathname === "/cable") return server.upgrade(request, { data: undefined }) ? undefined : new Response("no", { status: 400 });
    if (url.pathname === "/up") return new Response("OK");
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    const form = await request.formData();
    const body = String(form.get("body"));
    const clientMessageId = String(form.get("client_message_id"));
    const { lastInsertRowid } = insert.run(1, clientMessageId, body, Date.now());
    const head = `<template data-frame="messages"><article id="message_${lastInsertRowid}" data-client-message-id="${escapeHtml(clientMessageId)}">${escapeHtml(body)}`;
    const tail = "</article></template>";
    const fragment = head + " ".repeat(Math.max(0, frameBytes - head.length - tail.length)) + tail;
    server.publish("room", fragment);
    return new Response(fragment, { status: 201, headers: { "content-type": "text/html; charset=utf-8" } });
  },
  websocket: {
    message(ws, message) {
      if (String(message).includes('"enter"')) ws.subscribe("room");
    },
  },
});
console.log(`limit listening on ${server.url}`);
