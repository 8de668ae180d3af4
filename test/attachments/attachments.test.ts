import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { Client as BareClient } from "../helpers/client.ts";
import { completeFirstRun, createRoom, messageIdsIn, startThreePersonServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import { startConfiguredTestServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
let third: Client;
/** A closed room of the administrator and the member; the third person is outside it. */
let roomId: number;
beforeEach(async () => {
  ({ server, admin, member, memberUser, third } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

type FileRow = {
  id: number;
  file_key: string;
  preview_key: string | null;
  filename: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
};
const fileRows = () => server.db.query<FileRow, []>("SELECT * FROM attachments ORDER BY id").all();

function upload(client: Client, room: number, file: File, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("attachment", file);
  return client.request(`/rooms/${room}/messages`, { method: "POST", body: form });
}
/** Uploads, expects 201, returns the stored row and the message's html. */
async function uploaded(file: File, fields?: Record<string, string>): Promise<{ row: FileRow; html: string; messageId: number }> {
  const response = await upload(member, roomId, file, fields);
  expect(response.status).toBe(201);
  const html = await response.text();
  return { row: fileRows().at(-1)!, html, messageId: messageIdsIn(html)[0]! };
}
const onDisk = (key: string) => join(server.dataDir, "files", key);

describe("uploading", () => {
  test("a picture is stored under a random key with a preview of at most 1200×800, its size in the message", async () => {
    const { row, html } = await uploaded(new File([pngOf(3000, 2000)], "../../holiday.png", { type: "image/png" }), { body: "the view" });
    expect(row.file_key).toMatch(/^[0-9a-f]{32}$/);
    expect(row).toMatchObject({ filename: "holiday.png", content_type: "image/png", width: 1200, height: 800 });
    expect(existsSync(onDisk(row.file_key))).toBe(true);
    expect(existsSync(onDisk(row.preview_key!))).toBe(true);
    expect(html).toContain(`<img src="/attachments/${row.file_key}/preview" width="1200" height="800" alt="holiday.png"`);
    expect(html).toContain("the view");
  });

  test("a small picture is not enlarged", async () => {
    const { row } = await uploaded(new File([pngOf(40, 30)], "dot.png", { type: "image/png" }));
    expect(row).toMatchObject({ width: 40, height: 30 });
  });

  test("a corrupt image and a pixel bomb are kept as plain files, and the server goes on", async () => {
    const corrupt = await uploaded(new File(["\x89PNG not really"], "broken.png", { type: "image/png" }));
    expect(corrupt.row).toMatchObject({ preview_key: null, width: null });
    expect(corrupt.html).toContain('download="broken.png"');
    // 30000×30000: a few KB of PNG promising 2.7 GB of pixels.
    const bomb = await uploaded(new File([pngOf(30_000, 30_000, 1)], "bomb.png", { type: "image/png" }));
    expect(bomb.row).toMatchObject({ preview_key: null, width: null });
    expect((await member.get(`/attachments/${bomb.row.file_key}`)).status).toBe(200);
  });

  test("a file over the size limit is refused with 413 and a clear reason, nothing stored", async () => {
    const small = startConfiguredTestServer({ maxUploadBytes: 1024 * 1024 });
    try {
      const owner = await completeFirstRun(small);
      // Over the file limit but within the request's (file + a form's worth): the route says why.
      const over = await upload(owner, 1, new File([new Uint8Array(1.5 * 1024 * 1024)], "big.bin"));
      expect(over.status).toBe(413);
      expect(await over.text()).toContain("That file is too large: at most 1 MB can be attached.");
      // Far over: refused from Content-Length before the body is read.
      const far = await upload(owner, 1, new File([new Uint8Array(1.9 * 1024 * 1024)], "bigger.bin"));
      expect(far.status).toBe(413);
      expect(small.db.query("SELECT count(*) AS n FROM attachments").get()).toEqual({ n: 0 });
      expect(small.db.query("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 0 });
    } finally {
      await small.close();
    }
  });

  test("a 200 MB upload sent in chunks (no Content-Length) is cut off at the limit, the server's memory staying flat", async () => {
    const small = startConfiguredTestServer({ maxUploadBytes: 10 * 1024 * 1024 });
    try {
      const owner = await completeFirstRun(small);
      const chunk = new Uint8Array(1024 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 200) controller.enqueue(chunk);
          else controller.close();
        },
      });
      Bun.gc(true);
      const before = process.memoryUsage.rss();
      const response = await fetch(`${small.url}/rooms/1/messages`, {
        method: "POST",
        body,
        headers: {
          cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
          origin: small.url,
          "content-type": "multipart/form-data; boundary=x",
        },
      }).catch((error: Error) => error);
      // Either the 413 arrives, or the connection is closed on the rest of the body: never a 201.
      if (response instanceof Response) expect(response.status).toBe(413);
      expect(sent).toBeLessThan(200);
      // Client and server share this process, so the figure holds both sides' buffers: 30–37 MB
      // on a loaded machine against the 200 MB a buffering server would take.
      expect((process.memoryUsage.rss() - before) / (1024 * 1024)).toBeLessThan(80);
      expect(small.db.query("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 0 });
    } finally {
      await small.close();
    }
  });

  test("a retry with the same client_message_id keeps the first file and drops the second", async () => {
    const first = await uploaded(new File(["one"], "a.txt", { type: "text/plain" }), { client_message_id: "same-file" });
    const again = await upload(member, roomId, new File(["two"], "b.txt", { type: "text/plain" }), { client_message_id: "same-file" });
    expect(again.status).toBe(200);
    expect(fileRows().map((row) => row.filename)).toEqual(["a.txt"]);
    expect(existsSync(onDisk(first.row.file_key))).toBe(true);
  });

  test("an outsider cannot attach a file to a room they are not in", async () => {
    expect((await upload(third, roomId, new File(["x"], "x.txt"))).status).toBe(404);
    expect(fileRows()).toEqual([]);
  });
});

describe("players", () => {
  test("a video shows in a player sized by the frame its sender's browser measured, with its name as a download", async () => {
    const { row, html } = await uploaded(new File(["not really frames"], "clip.webm", { type: "video/webm" }), {
      media_width: "640",
      media_height: "360",
    });
    expect(row).toMatchObject({ content_type: "video/webm", width: 640, height: 360, preview_key: null });
    expect(html).toContain(`<video src="/attachments/${row.file_key}" controls preload="metadata" width="640" height="360"></video>`);
    expect(html).toContain(`<a class="attachment__name" href="/attachments/${row.file_key}" download="clip.webm">clip.webm</a>`);
    const served = await member.get(`/attachments/${row.file_key}`, { range: "bytes=0-3" });
    expect(served.status).toBe(206);
    expect(served.headers.get("content-type")).toBe("video/webm");
  });

  test("a video without a measured size still gets a player; a picture's size is always its own", async () => {
    const { row, html } = await uploaded(new File(["x"], "clip.mp4", { type: "video/mp4" }));
    expect(row).toMatchObject({ width: null, height: null });
    expect(html).toContain(`<video src="/attachments/${row.file_key}" controls preload="metadata"></video>`);
    const picture = await uploaded(new File([pngOf(40, 30)], "dot.png", { type: "image/png" }), {
      media_width: "999",
      media_height: "999",
    });
    expect(picture.row).toMatchObject({ width: 40, height: 30 });
  });

  test("a sound shows in an audio player", async () => {
    const { row, html } = await uploaded(new File(["ID3"], "song.mp3", { type: "audio/mpeg" }));
    expect(html).toContain(`<audio src="/attachments/${row.file_key}" controls preload="metadata"></audio>`);
  });

  test("a frame size that is not two whole numbers of pixels is refused with 422, nothing stored", async () => {
    for (const [media_width, media_height] of [
      ["abc", "360"],
      ["0", "360"],
      ["640", "99999"],
      ["-1", "1"],
      ["640.5", "360"],
    ] as const) {
      const response = await upload(member, roomId, new File(["x"], "clip.webm", { type: "video/webm" }), { media_width, media_height });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain("media_width and media_height");
    }
    const one = await upload(member, roomId, new File(["x"], "clip.webm", { type: "video/webm" }), { media_width: "640" });
    expect(one.status).toBe(422);
    expect(fileRows()).toEqual([]);
    expect(readdirSync(join(server.dataDir, "files"))).toEqual([]);
  });
});

describe("serving", () => {
  test("members get the file with its type, nosniff, an ETag and private caching; a matching ETag is a 304", async () => {
    const { row } = await uploaded(new File([pngOf(20, 10)], "tiny.png", { type: "image/png" }));
    const response = await admin.get(`/attachments/${row.file_key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toStartWith("inline");
    expect(response.headers.get("cache-control")).toStartWith("private");
    const etag = response.headers.get("etag")!;
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pngOf(20, 10));
    expect((await admin.get(`/attachments/${row.file_key}`, { "if-none-match": etag })).status).toBe(304);
    const preview = await admin.get(`/attachments/${row.file_key}/preview`);
    expect(preview.headers.get("content-type")).toBe("image/webp");
  });

  test("a non-member and a signed-out visitor don't get it", async () => {
    const { row } = await uploaded(new File(["secret plans"], "plans.txt", { type: "text/plain" }));
    expect((await third.get(`/attachments/${row.file_key}`)).status).toBe(404);
    expect((await third.get(`/attachments/${row.file_key}/preview`)).status).toBe(404);
    const stranger = await new BareClient(server.url).get(`/attachments/${row.file_key}`);
    expect(stranger.status).toBe(303);
    expect(await stranger.text()).not.toContain("secret plans");
  });

  test("a byte range is served as 206 with Content-Range", async () => {
    const { row } = await uploaded(new File(["0123456789"], "digits.txt", { type: "text/plain" }));
    const response = await member.get(`/attachments/${row.file_key}`, { range: "bytes=2-5" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await response.text()).toBe("2345");
    const tail = await member.get(`/attachments/${row.file_key}`, { range: "bytes=-3" });
    expect(await tail.text()).toBe("789");
    expect((await member.get(`/attachments/${row.file_key}`, { range: "bytes=20-" })).status).toBe(416);
  });

  for (const [name, type] of [
    ["page.html", "text/html"],
    ["drawing.svg", "image/svg+xml"],
    ["feed.xml", "application/xml"],
  ] as const) {
    test(`${name} (${type}) is served as a download, never inline`, async () => {
      const { row } = await uploaded(new File(["<script>alert(1)</script>"], name, { type }));
      const response = await member.get(`/attachments/${row.file_key}`);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename*=UTF-8''${name}`);
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    });
  }
});

describe("deleting", () => {
  test("deleting a message deletes its file and preview", async () => {
    const { row, messageId } = await uploaded(new File([pngOf(50, 50)], "gone.png", { type: "image/png" }));
    const response = await member.request(`/rooms/${roomId}/messages/${messageId}`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(fileRows()).toEqual([]);
    expect(existsSync(onDisk(row.file_key))).toBe(false);
    expect(existsSync(onDisk(row.preview_key!))).toBe(false);
    expect((await member.get(`/attachments/${row.file_key}`)).status).toBe(404);
  });

  test("deleting a room deletes the files of all its messages", async () => {
    const picture = await uploaded(new File([pngOf(50, 50)], "room.png", { type: "image/png" }));
    const other = await uploaded(new File(["notes"], "notes.txt", { type: "text/plain" }));
    const kept = await upload(member, 1, new File(["elsewhere"], "kept.txt", { type: "text/plain" }));
    expect(kept.status).toBe(201);
    expect((await admin.request(`/rooms/${roomId}`, { method: "DELETE" })).status).toBe(303);
    expect(fileRows().map((row) => row.filename)).toEqual(["kept.txt"]);
    for (const key of [picture.row.file_key, picture.row.preview_key!, other.row.file_key]) expect(existsSync(onDisk(key))).toBe(false);
    expect(existsSync(onDisk(fileRows()[0]!.file_key))).toBe(true);
  });
});
