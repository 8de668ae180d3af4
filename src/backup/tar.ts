// A backup is one POSIX tar file, so it can also be opened with `tar -xf` by hand. Only what a
// backup needs: regular files, streamed through in 512-byte blocks, never a whole file in memory
// (uploads can be gigabytes). Bun.Archive builds archives from in-memory data, hence this.
import type { FileSink } from "bun";

const BLOCK = 512;
const ZEROS = new Uint8Array(BLOCK);

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(path: string, size: number, mtimeSeconds: number): Uint8Array {
  const name = new TextEncoder().encode(path);
  if (name.length > 100) throw new Error(`tar: path too long for a backup entry: ${path}`);
  const block = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => block.set(new TextEncoder().encode(text), offset);
  block.set(name, 0);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(mtimeSeconds, 12));
  put(148, "        "); // the checksum counts its own field as spaces
  put(156, "0");
  put(257, "ustar\u000000");
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** Writes entries one after another into a FileSink; call `end()` for the closing zero blocks. */
export class TarWriter {
  constructor(private readonly sink: FileSink) {}

  /** Streams `chunks` as the entry `path`; they must add up to exactly `size` bytes. */
  async add(path: string, size: number, chunks: AsyncIterable<Uint8Array>, mtimeSeconds = Math.floor(Date.now() / 1000)) {
    this.sink.write(header(path, size, mtimeSeconds));
    let written = 0;
    for await (const chunk of chunks) {
      written += chunk.byteLength;
      if (written > size) throw new Error(`tar: ${path} grew while it was being written`);
      this.sink.write(chunk);
      await this.sink.flush();
    }
    if (written !== size) throw new Error(`tar: ${path} has ${written} bytes, expected ${size}`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding) this.sink.write(ZEROS.subarray(0, padding));
  }

  async end(): Promise<void> {
    this.sink.write(ZEROS);
    this.sink.write(ZEROS);
    await this.sink.end();
  }
}

export type TarEntry = { path: string; size: number };

function text(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}

function parseHeader(block: Uint8Array): TarEntry & { type: string } {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  const stored = Number.parseInt(text(block, 148, 8).trim(), 8);
  if (stored !== sum) throw new Error("not a backup file: a tar header's checksum does not match");
  const prefix = text(block, 345, 155);
  const name = text(block, 0, 100);
  return {
    path: prefix ? `${prefix}/${name}` : name,
    size: Number.parseInt(text(block, 124, 12).trim() || "0", 8),
    type: text(block, 156, 1) || "0",
  };
}

/**
 * Reads a tar stream, calling `onEntry` for every regular file with its bytes as they arrive.
 * `onEntry` returns a consumer for the chunks and a finisher; unknown entry types are skipped.
 */
export async function readTar(
  stream: ReadableStream<Uint8Array>,
  onEntry: (entry: TarEntry) => { write(chunk: Uint8Array): void | Promise<void>; end(): void | Promise<void> },
): Promise<void> {
  let buffered = new Uint8Array(0);
  const reader = stream.getReader();
  let done = false;
  // Returns at least `n` bytes when available, or fewer at the end of the stream.
  async function fill(n: number): Promise<void> {
    while (buffered.length < n && !done) {
      const next = await reader.read();
      if (next.done) done = true;
      else {
        const merged = new Uint8Array(buffered.length + next.value.length);
        merged.set(buffered);
        merged.set(next.value, buffered.length);
        buffered = merged;
      }
    }
  }
  for (;;) {
    await fill(BLOCK);
    if (buffered.length < BLOCK) throw new Error("the backup file is cut short (no end-of-archive marker)");
    const block = buffered.subarray(0, BLOCK);
    buffered = buffered.subarray(BLOCK);
    if (block.every((byte) => byte === 0)) return; // end of archive
    const entry = parseHeader(block);
    const sink = entry.type === "0" ? onEntry(entry) : undefined;
    let remaining = entry.size;
    while (remaining > 0) {
      await fill(1);
      if (buffered.length === 0) throw new Error(`the backup file is cut short inside ${entry.path}`);
      const piece = buffered.subarray(0, Math.min(remaining, buffered.length));
      buffered = buffered.subarray(piece.length);
      remaining -= piece.length;
      if (sink) await sink.write(piece);
    }
    if (sink) await sink.end();
    const padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    await fill(padding);
    buffered = buffered.subarray(padding);
  }
}
