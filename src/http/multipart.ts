import { mkdir, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { FileSink } from "bun";
import { HttpError } from "./errors.tsx";

/** What one multipart request may carry: at most one file, in `fileField`, and a few small text fields. */
export type MultipartLimits = {
  fileField: string;
  maxFileBytes: number;
  /** All the text fields together. */
  maxFieldBytes: number;
  /** Where the file is written while it arrives: in the data directory, so it is renamed into place, never copied. */
  tempDir: string;
};

export type Multipart = { fields: Record<string, string | string[]>; file: ReceivedFile | null };

/** An uploaded file, whole on disk under a temporary name, until it is moved into place or discarded. */
export class ReceivedFile {
  constructor(
    readonly path: string,
    /** As the browser sent them: shown and offered on download only after cleaning, never used on disk. */
    readonly name: string,
    readonly type: string,
    readonly size: number,
  ) {}

  moveTo(destination: string): Promise<void> {
    return rename(this.path, destination);
  }

  bytes(): Promise<Uint8Array> {
    return Bun.file(this.path).bytes();
  }

  /** Removes it if it is still there: after a move, or a second call, there is nothing to do. */
  discard(): Promise<void> {
    return unlink(this.path).catch(() => undefined);
  }
}

const UNREADABLE = "That upload could not be read: please send it again.";
// A part's headers are a few short lines; a browser's are under 300 bytes.
const MAX_HEADER_BYTES = 16 * 1024;
// The forms here have under ten fields.
const MAX_PARTS = 100;
const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
export const fileTooLarge = (bytes: number) => `That file is too large: at most ${Math.round(bytes / (1024 * 1024))} MB can be attached.`;
export const requestTooLarge = (bytes: number) => `That request is too large: at most ${megabytes(bytes)} MB can be sent here.`;

/**
 * Reads a multipart/form-data body as it arrives: the file part goes straight to a temporary file,
 * the text fields stay in memory, and every limit is checked while reading, so a refused upload
 * stops at the limit. Bun's `formData()` holds the whole body in memory instead (1.3–1.4× each
 * upload: ten 20 MB uploads at once took the server to 331–355 MB). On any failure, a client that
 * goes away included, the temporary file is removed; on success the caller owns it (`moveTo`, then
 * `discard` whatever was not moved).
 */
export async function readMultipart(request: Request, limits: MultipartLimits): Promise<Multipart> {
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(request.headers.get("content-type") ?? "");
  if (!boundary || !request.body) throw new HttpError(400, UNREADABLE);
  const body = new BodyReader(request.body.getReader(), limits.maxFileBytes + limits.maxFieldBytes);
  const parts = new Parts(limits);
  try {
    await readParts(body, `\r\n--${boundary[1] ?? boundary[2]}`, parts);
    return { fields: parts.fields, file: parts.file };
  } catch (error) {
    await parts.abandon();
    void body.cancel();
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, UNREADABLE); // a truncated body, a client gone mid-upload, a disk error
  }
}

/**
 * The grammar (RFC 7578): a preamble, then for each part a delimiter line, headers, a blank line
 * and the content, and finally the closing delimiter `--`. Starting the buffer with a CRLF lets the
 * first delimiter be found like every other one.
 */
async function readParts(body: BodyReader, delimiter: string, parts: Parts): Promise<void> {
  body.unshift("\r\n");
  await body.pipeUntil(delimiter, () => undefined); // the preamble
  for (;;) {
    await body.need(2);
    if (body.startsWith("--")) return body.drain(); // the closing delimiter; what follows is ignored
    const headers = await body.readHeaders();
    const sink = await parts.start(headers);
    await body.pipeUntil(delimiter, sink);
    await parts.finish();
  }
}

/** The request body as a queue of bytes, counted against the whole request's limit as it is read. */
class BodyReader {
  private buffer: Buffer = Buffer.alloc(0);
  private received = 0;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly maxBytes: number,
  ) {}

  unshift(text: string) {
    this.buffer = Buffer.concat([Buffer.from(text), this.buffer]);
  }

  startsWith(text: string): boolean {
    return this.buffer.subarray(0, text.length).toString("latin1") === text;
  }

  /** Reads one more chunk; false at the end of the body. */
  private async more(): Promise<boolean> {
    const { done, value } = await this.reader.read();
    if (done) return false;
    this.received += value.length;
    if (this.received > this.maxBytes) throw new HttpError(413, requestTooLarge(this.maxBytes));
    this.buffer =
      this.buffer.length === 0 ? Buffer.from(value.buffer, value.byteOffset, value.length) : Buffer.concat([this.buffer, value]);
    return true;
  }

  async need(bytes: number) {
    while (this.buffer.length < bytes) if (!(await this.more())) throw new Error("the body ended early");
  }

  /** A part's header lines, after the CRLF that ends its delimiter line and up to the blank line. */
  async readHeaders(): Promise<Map<string, string>> {
    let end = this.buffer.indexOf("\r\n\r\n");
    while (end < 0) {
      if (this.buffer.length > MAX_HEADER_BYTES) throw new HttpError(400, UNREADABLE);
      if (!(await this.more())) throw new Error("the body ended in a part's headers");
      end = this.buffer.indexOf("\r\n\r\n");
    }
    if (!this.startsWith("\r\n") || end > MAX_HEADER_BYTES) throw new HttpError(400, UNREADABLE);
    const lines = this.buffer.subarray(2, end).toString("utf8").split("\r\n");
    this.buffer = this.buffer.subarray(end + 4);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return headers;
  }

  /**
   * Hands everything before the next `delimiter` to `sink`, as it arrives, and skips the delimiter.
   * Only a delimiter's length of bytes is held back (it may be the start of one), so a file part
   * passes through a chunk at a time.
   */
  async pipeUntil(delimiter: string, sink: (bytes: Uint8Array) => void | Promise<void>): Promise<void> {
    const keep = delimiter.length - 1;
    for (;;) {
      const at = this.buffer.indexOf(delimiter, 0, "latin1");
      if (at >= 0) {
        await sink(this.buffer.subarray(0, at));
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return;
      }
      if (this.buffer.length > keep) {
        await sink(this.buffer.subarray(0, this.buffer.length - keep));
        this.buffer = this.buffer.subarray(this.buffer.length - keep);
      }
      if (!(await this.more())) throw new Error("the body ended before its closing delimiter");
    }
  }

  /** The epilogue, still counted, so the connection is left ready for its next request. */
  async drain(): Promise<void> {
    while (await this.more()) this.buffer = Buffer.alloc(0);
  }

  cancel(): Promise<void> {
    return this.reader.cancel().catch(() => undefined);
  }
}

/** Collects the parts: text into `fields`, the one file into a temporary file. */
class Parts {
  readonly fields: Record<string, string | string[]> = Object.create(null);
  file: ReceivedFile | null = null;
  private count = 0;
  private fieldBytes = 0;
  private text: Buffer[] | null = null;
  private name = "";
  private sink: FileSink | null = null;
  private written = 0;
  private tempPath: string | null = null;

  constructor(private readonly limits: MultipartLimits) {}

  async start(headers: Map<string, string>): Promise<(bytes: Uint8Array) => void | Promise<void>> {
    if (++this.count > MAX_PARTS) throw new HttpError(413, requestTooLarge(this.limits.maxFileBytes + this.limits.maxFieldBytes));
    const disposition = headers.get("content-disposition") ?? "";
    const name = parameter(disposition, "name");
    if (!/^form-data\b/i.test(disposition) || name === null) throw new HttpError(400, UNREADABLE);
    this.name = name;
    const filename = parameter(disposition, "filename");
    if (filename === null) {
      this.text = [];
      return (bytes) => this.addText(bytes);
    }
    if (name !== this.limits.fileField) throw new HttpError(422, `“${name}” must be text, not a file.`);
    if (this.file || this.tempPath) throw new HttpError(422, "Only one file can be sent at a time.");
    await mkdir(this.limits.tempDir, { recursive: true });
    this.tempPath = join(this.limits.tempDir, crypto.randomUUID());
    this.sink = Bun.file(this.tempPath).writer();
    this.written = 0;
    const type = headers.get("content-type") ?? "application/octet-stream";
    this.file = new ReceivedFile(this.tempPath, filename, type, 0);
    return (bytes) => this.addFile(bytes);
  }

  private addText(bytes: Uint8Array) {
    this.fieldBytes += bytes.length;
    if (this.fieldBytes > this.limits.maxFieldBytes)
      throw new HttpError(413, requestTooLarge(this.limits.maxFileBytes + this.limits.maxFieldBytes));
    this.text!.push(Buffer.from(bytes));
  }

  private async addFile(bytes: Uint8Array) {
    this.written += bytes.length;
    if (this.written > this.limits.maxFileBytes) throw new HttpError(413, fileTooLarge(this.limits.maxFileBytes));
    this.sink!.write(bytes);
    // Written before the next chunk is read: a fast client cannot pile the file up in memory.
    await this.sink!.flush();
  }

  async finish() {
    if (this.text) {
      const value = Buffer.concat(this.text).toString("utf8");
      const had = this.fields[this.name];
      this.fields[this.name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
      this.text = null;
    } else if (this.sink && this.file) {
      await this.sink.end();
      this.sink = null;
      this.file = new ReceivedFile(this.file.path, this.file.name, this.file.type, this.written);
    }
  }

  /** After a failure: the half-written file goes. */
  async abandon() {
    try {
      await this.sink?.end();
    } catch {
      // the disk refused a write: the file is removed all the same
    }
    if (this.tempPath) await unlink(this.tempPath).catch(() => undefined);
  }
}

/** A Content-Disposition parameter: `name="x"` (quoted, as browsers send it) or `name=x`; null when absent. */
function parameter(header: string, key: string): string | null {
  const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${key}=([^;\\s"]*)`, "i").exec(header);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!;
}
