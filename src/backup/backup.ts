// `campfire backup FILE` and `campfire restore FILE`: one tar file holding a consistent copy of the
// database and every file of the data directory, with a manifest of SHA-256 sums written last.
//
// Online: the database is copied with `VACUUM INTO` from this process's own read transaction, so
// the server keeps serving and posting (WAL readers don't block writers). Files are copied after
// the snapshot. Uploads are never changed in place, only added and deleted: a file added meanwhile
// is carried but unused; one deleted meanwhile belonged to a message deleted meanwhile, and is
// listed as missing in the manifest (its message then shows no file after a restore).
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { DATABASE_FILE, databasePath } from "../db/connection.ts";
import { readTar, TarWriter } from "./tar.ts";

export const MANIFEST = "campfire-backup.json";
const FORMAT = "campfire-backup";
const FORMAT_VERSION = 1;

type ManifestEntry = { path: string; size: number; sha256: string };
type Manifest = { format: string; version: number; app_version: string; created_at: string; entries: ManifestEntry[] };

export class BackupError extends Error {}

/** Every file of the data directory except the live database (copied through SQLite instead). */
function dataFiles(dataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name.startsWith(".")) continue; // temporary files being written
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.startsWith(DATABASE_FILE)) found.push(relative(dataDir, path).split(sep).join("/"));
    }
  };
  walk(dataDir);
  return found.sort();
}

async function* hashed(file: Bun.BunFile, hasher: Bun.CryptoHasher): AsyncIterable<Uint8Array> {
  for await (const chunk of file.stream()) {
    hasher.update(chunk);
    yield chunk;
  }
}

export type BackupSummary = { file: string; bytes: number; files: number; missing: string[]; messages: number };

export async function createBackup(dataDir: string, file: string): Promise<BackupSummary> {
  const source = databasePath(dataDir);
  if (!existsSync(source)) throw new BackupError(`no Campfire database in ${dataDir} (set --data-dir or CAMPFIRE_DATA_DIR)`);
  mkdirSync(dirname(file), { recursive: true });
  // Written under temporary names and renamed at the end: a backup that fails leaves nothing
  // that could be mistaken for a good one.
  const partial = `${file}.partial`;
  const snapshot = `${file}.partial-db`;
  rmSync(snapshot, { force: true });
  try {
    const live = new Database(source, { readonly: true });
    let messages: number;
    try {
      live.run("PRAGMA busy_timeout = 5000");
      live.run("VACUUM INTO ?", [snapshot]);
      messages = (live.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
    } finally {
      live.close();
    }
    const writer = new TarWriter(Bun.file(partial).writer({ highWaterMark: 1024 * 1024 }));
    const entries: ManifestEntry[] = [];
    const missing: string[] = [];
    const add = async (path: string, onDisk: string) => {
      const source = Bun.file(onDisk);
      let size: number;
      try {
        size = statSync(onDisk).size;
      } catch {
        missing.push(path); // deleted since the listing
        return;
      }
      const hasher = new Bun.CryptoHasher("sha256");
      await writer.add(path, size, hashed(source, hasher));
      entries.push({ path, size, sha256: hasher.digest("hex") });
    };
    await add(DATABASE_FILE, snapshot);
    for (const path of dataFiles(dataDir)) await add(path, join(dataDir, path));
    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      app_version: packageJson.version,
      created_at: new Date().toISOString(),
      entries,
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify({ ...manifest, missing }, null, 1));
    await writer.add(
      MANIFEST,
      manifestBytes.byteLength,
      (async function* () {
        yield manifestBytes;
      })(),
    );
    await writer.end();
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, files: entries.length - 1, missing, messages };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    rmSync(snapshot, { force: true });
  }
}

/** A path from the archive is only ever a plain relative path inside the data directory. */
function safePath(path: string): string {
  const parts = path.split("/");
  if (path.startsWith("/") || parts.some((part) => part === ".." || part === "" || part === ".") || path.includes("\\"))
    throw new BackupError(`the backup holds an unsafe path: ${JSON.stringify(path)}`);
  return path;
}

function holdsData(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

export type RestoreSummary = { files: number; messages: number; created_at: string };

/** Restores into an empty (or absent) data directory; refuses anything else and checks every byte first. */
export async function restoreBackup(file: string, dataDir: string): Promise<RestoreSummary> {
  if (!existsSync(file)) throw new BackupError(`no such backup file: ${file}`);
  if (holdsData(dataDir))
    throw new BackupError(
      `${dataDir} already holds data; restore into an empty folder (--data-dir or CAMPFIRE_DATA_DIR) so nothing is overwritten`,
    );
  const staging = `${dataDir.replace(/[/\\]+$/, "")}.restoring`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const seen = new Map<string, { size: number; sha256: string }>();
    let manifestText = "";
    await readTar(Bun.file(file).stream(), (entry) => {
      if (entry.path === MANIFEST) {
        const chunks: Uint8Array[] = [];
        return {
          write: (chunk) => void chunks.push(chunk.slice()),
          end: () => void (manifestText = Buffer.concat(chunks).toString("utf8")),
        };
      }
      const path = safePath(entry.path);
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      const sink = Bun.file(target).writer();
      const hasher = new Bun.CryptoHasher("sha256");
      return {
        write: async (chunk) => {
          hasher.update(chunk);
          sink.write(chunk);
          await sink.flush();
        },
        end: async () => {
          await sink.end();
          seen.set(path, { size: entry.size, sha256: hasher.digest("hex") });
        },
      };
    });
    const manifest = parseManifest(manifestText);
    for (const expected of manifest.entries) {
      const got = seen.get(expected.path);
      if (!got) throw new BackupError(`the backup is incomplete: ${expected.path} is missing`);
      if (got.size !== expected.size || got.sha256 !== expected.sha256)
        throw new BackupError(`the backup is damaged: ${expected.path} does not match its checksum`);
    }
    if (seen.size !== manifest.entries.length) throw new BackupError("the backup holds files its manifest does not list");
    const messages = checkDatabase(join(staging, DATABASE_FILE));
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true }); // empty, checked above
    renameSync(staging, dataDir);
    return { files: manifest.entries.length - 1, messages, created_at: manifest.created_at };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a readable Campfire backup: ${(error as Error).message}`);
  }
}

function parseManifest(text: string): Manifest {
  if (!text) throw new BackupError(`the backup has no ${MANIFEST}: not a Campfire backup, or cut short`);
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.format !== FORMAT || !Array.isArray(manifest.entries)) throw new BackupError("not a Campfire backup");
  if (manifest.version > FORMAT_VERSION)
    throw new BackupError(`the backup was made by a newer Campfire (format ${manifest.version}); upgrade first`);
  if (!manifest.entries.some((entry) => entry.path === DATABASE_FILE)) throw new BackupError("the backup holds no database");
  return manifest;
}

function checkDatabase(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const result = db.query("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (result.length !== 1 || result[0]!.integrity_check !== "ok")
      throw new BackupError("the backup's database fails SQLite's integrity check");
    return (db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
