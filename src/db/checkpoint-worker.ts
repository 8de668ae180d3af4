// The checkpointer's thread (see checkpointer.ts): its own connection folds the WAL back into the
// database file whenever the server has committed since the last look, so the server's thread never
// does it inside a COMMIT.
import { Database } from "bun:sqlite";
import type { CheckpointerReport, CheckpointerRequest } from "./checkpointer.ts";

declare const self: Worker;

let db: Database | undefined;
let timer: Timer | undefined;
let lastVersion = -1;
let lastError = "";

function report(message: CheckpointerReport): void {
  self.postMessage(message);
}

function look(): void {
  try {
    // data_version moves when another connection (the server's, or the CLI) has committed.
    const version = db!.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
    if (version === lastVersion) return;
    lastVersion = version;
    // PASSIVE never waits for the writer or readers: it copies what it can and the server carries on.
    db!.query("PRAGMA wal_checkpoint(PASSIVE)").all();
    lastError = "";
  } catch (error) {
    // Busy means another checkpoint is running (the server's fallback): the next look catches up.
    if ((error as { code?: string }).code === "SQLITE_BUSY") return;
    // Told once, not every 100 ms while it lasts (a full disk).
    const message = error instanceof Error ? error.message : String(error);
    if (message !== lastError) report({ kind: "failed", error: message });
    lastError = message;
  }
}

self.onmessage = (event: MessageEvent<CheckpointerRequest>) => {
  const request = event.data;
  if (request.kind === "start") {
    db = new Database(request.path, { strict: true });
    db.run("PRAGMA busy_timeout = 1000"); // only this thread waits
    timer = setInterval(look, request.intervalMs);
    look();
  } else {
    clearInterval(timer);
    db?.close();
    report({ kind: "stopped" });
  }
};
