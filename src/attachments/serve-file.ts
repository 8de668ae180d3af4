import type { BunFile } from "bun";

// Types a browser shows without running anything. Everything else (HTML, SVG, XML, scripts, unknown)
// is sent as a download, so an upload can never become a page on our origin.
const INLINE_TYPES = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "video/mp4",
  "video/webm",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
  "audio/webm",
  "audio/mp4",
  "application/pdf",
  "text/plain",
]);

export const isInlineSafe = (contentType: string): boolean => INLINE_TYPES.has(contentType);

type Served = { file: BunFile; contentType: string; filename: string; etag: string; cacheControl: string };

/**
 * A stored file as a response: its type with nosniff, inline only when safe, a strong ETag (a key's
 * bytes never change), a single byte range when asked for one (video seeking, resumed downloads).
 */
export async function serveFile(request: Request, { file, contentType, filename, etag, cacheControl }: Served): Promise<Response> {
  if (!(await file.exists())) return new Response("Not found", { status: 404 });
  const inline = isInlineSafe(contentType);
  const headers = new Headers({
    "Content-Type": inline ? contentType : "application/octet-stream",
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(filename)}`,
    "X-Content-Type-Options": "nosniff",
    // Even if a browser ignored the type, nothing in the file may run or load anything.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": cacheControl,
    ETag: etag,
    "Accept-Ranges": "bytes",
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const size = file.size;
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("range") ?? "");
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      headers.set("Content-Range", `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
    return new Response(file.slice(start, end + 1), { status: 206, headers });
  }
  return new Response(file, { headers });
}
