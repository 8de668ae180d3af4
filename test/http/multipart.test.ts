import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "../../src/http/errors.tsx";
import { type MultipartLimits, readMultipart } from "../../src/http/multipart.ts";
import { makeDataDir } from "../helpers/server.ts";

let dataDir: string;
let limits: MultipartLimits;
beforeEach(() => {
  dataDir = makeDataDir();
  limits = { fileField: "attachment", maxFileBytes: 1024 * 1024, maxFieldBytes: 4096, tempDir: join(dataDir, "incoming") };
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const leftovers = () => (existsSync(limits.tempDir) ? readdirSync(limits.tempDir) : []);

/** A request whose body arrives `chunkSize` bytes at a time, as a slow network would deliver it. */
function requestOf(body: string | Uint8Array, { boundary = "b", chunkSize = 1 << 20 } = {}): Request {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
  return new Request("http://localhost/upload", {
    method: "POST",
    body: stream,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
}

const textPart = (name: string, value: string, boundary = "b") =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (name: string, filename: string, content: string, boundary = "b") =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`;

async function refusal(request: Request): Promise<{ status: number; message: string }> {
  const error = await readMultipart(request, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return { status: (error as HttpError).status, message: (error as HttpError).message };
}

describe("reading a multipart body", () => {
  // Content that nearly contains the delimiter (CRLF--b), so a parser that cut too early or late would show it.
  const tricky = "line one\r\n-- b\r\n--c --b\r\n-b\r\n--\r\nlast\r\n-";
  const body = `a preamble to ignore\r\n${textPart("body", "héllo")}${filePart("attachment", "notes.txt", tricky)}${textPart("client_message_id", "abc")}--b--\r\nan epilogue`;

  for (const chunkSize of [1, 3, 7, 64, 1 << 20])
    test(`fields and the file come out whole, the body arriving ${chunkSize} bytes at a time`, async () => {
      const { fields, file } = await readMultipart(requestOf(body, { chunkSize }), limits);
      expect(fields).toEqual({ body: "héllo", client_message_id: "abc" });
      expect(file).toMatchObject({ name: "notes.txt", type: "text/plain", size: new TextEncoder().encode(tricky).length });
      expect(await Bun.file(file!.path).text()).toBe(tricky);
      expect(file!.path.startsWith(limits.tempDir)).toBe(true);
      await file!.discard();
      expect(leftovers()).toEqual([]);
    });

  test("a quoted boundary, an empty file and a repeated field (kept as a list, for the validator to refuse)", async () => {
    const parts = `${textPart("x", "1", "a=b")}${textPart("x", "2", "a=b")}${filePart("attachment", "", "", "a=b")}--a=b--`;
    const request = new Request("http://localhost/", {
      method: "POST",
      body: parts,
      headers: { "content-type": 'multipart/form-data; boundary="a=b"' },
    });
    const { fields, file } = await readMultipart(request, limits);
    expect(fields).toEqual({ x: ["1", "2"] });
    expect(file).toMatchObject({ name: "", size: 0 });
  });

  test("without a file there is no file, and nothing is written", async () => {
    const { fields, file } = await readMultipart(requestOf(`${textPart("body", "just words")}--b--`), limits);
    expect(fields).toEqual({ body: "just words" });
    expect(file).toBeNull();
    expect(leftovers()).toEqual([]);
  });
});

describe("refusing, and leaving nothing behind", () => {
  test("a body cut off inside the file is unreadable (400) and its partial file is removed", async () => {
    const cut = `${filePart("attachment", "a.bin", "x".repeat(100_000)).slice(0, 50_000)}`;
    expect(await refusal(requestOf(cut, { chunkSize: 4096 }))).toEqual({
      status: 400,
      message: "That upload could not be read: please send it again.",
    });
    expect(leftovers()).toEqual([]);
  });

  test("a file over the limit is refused (413) with the reason, and removed", async () => {
    const big = `${filePart("attachment", "big.bin", "x".repeat(1024 * 1024 + 1))}--b--`;
    expect(await refusal(requestOf(big, { chunkSize: 65_536 }))).toEqual({
      status: 413,
      message: "That file is too large: at most 1 MB can be attached.",
    });
    expect(leftovers()).toEqual([]);
  });

  test("text fields over their allowance are refused (413)", async () => {
    expect((await refusal(requestOf(`${textPart("body", "x".repeat(5000))}--b--`))).status).toBe(413);
  });

  test("a file in a text field, or a second file, is refused (422) and nothing is kept", async () => {
    expect(await refusal(requestOf(`${filePart("body", "a.txt", "x")}--b--`))).toEqual({
      status: 422,
      message: "“body” must be text, not a file.",
    });
    const two = `${filePart("attachment", "a.txt", "one")}${filePart("attachment", "b.txt", "two")}--b--`;
    expect((await refusal(requestOf(two))).status).toBe(422);
    expect(leftovers()).toEqual([]);
  });

  test("no boundary, a part without a name, endless headers and a missing end are each a 400", async () => {
    const noBoundary = new Request("http://localhost/", {
      method: "POST",
      body: "--b--",
      headers: { "content-type": "multipart/form-data" },
    });
    expect((await refusal(noBoundary)).status).toBe(400);
    expect((await refusal(requestOf('--b\r\nContent-Disposition: form-data; filename="a"\r\n\r\nx\r\n--b--'))).status).toBe(400);
    expect((await refusal(requestOf(`--b\r\nX-Padding: ${"p".repeat(20_000)}\r\n\r\nx\r\n--b--`))).status).toBe(400);
    expect((await refusal(requestOf(textPart("body", "no closing delimiter")))).status).toBe(400);
  });
});
