import { closeSync, openSync, readSync } from "node:fs";

/** The WAL header's checkpoint sequence number: it moves each time the WAL starts over after a complete checkpoint. */
export function walSequence(databaseFile: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(`${databaseFile}-wal`, "r");
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}
