import { join } from "node:path";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpError, renderError } from "./errors.tsx";
import { readMultipart, requestTooLarge } from "./multipart.ts";

/** Forms and JSON: far more than any message, name or setting needs. */
export const FORM_MAX_BYTES = 1024 * 1024;

/**
 * Refuses a body larger than `maxBytes` with 413 before it is buffered: at once when Content-Length
 * says so, or as soon as a chunked body passes the limit. Without it, eight 100 MB posts to the
 * sign-in form took the process from 67 MB to about 1 GB before the form was even looked at.
 */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.header("Connection", "close"); // the rest of the body is not worth reading
      return renderError(c, 413, requestTooLarge(maxBytes));
    },
  });
}

// Where a file may be sent: a message's attachment (from the composer or a bot), a person's or a bot's avatar.
const UPLOAD_ROUTES = [
  /^\/rooms\/\d+\/messages$/,
  /^\/rooms\/\d+\/\d+-[A-Za-z0-9]+\/messages$/,
  /^\/profile\/avatar$/,
  /^\/account\/bots(?:\/\d+)?$/,
];

/**
 * The form limit everywhere but for multipart posts to the upload routes, which take a file of up
 * to `maxUploadBytes` (plus a form's worth for the other fields): over it by Content-Length, refused
 * before a byte is read; sent in chunks, counted by `receiveUpload` as it streams to disk (Hono's
 * limit would first gather the whole body in memory).
 */
export function limitBodies(maxUploadBytes: number): MiddlewareHandler {
  const forms = limitBody(FORM_MAX_BYTES);
  const uploads = limitBody(maxUploadBytes + FORM_MAX_BYTES);
  return (c, next) => {
    if (c.req.method !== "POST" || !isMultipart(c) || !UPLOAD_ROUTES.some((route) => route.test(c.req.path))) return forms(c, next);
    return c.req.header("content-length") ? uploads(c, next) : next();
  };
}

const isMultipart = (c: Context) => /^multipart\/form-data\b/i.test(c.req.header("content-type") ?? "");

/** Where uploads are written while they arrive; emptied at each start (a crash may leave some behind). */
export const incomingDir = (dataDir: string): string => join(dataDir, "incoming");

/**
 * Reads a multipart body with our streaming parser (http/multipart.ts): the file goes to disk as it
 * arrives and is available to the route as `c.get("upload")`; the text fields reach the route's
 * zod validator as a form. Whatever the route did not move into place is removed after it answers,
 * so a refusal, an error or an abandoned upload leaves no file behind. Other bodies pass untouched.
 */
export function receiveUpload(config: { dataDir: string; maxUploadBytes: number }, fileField: string): MiddlewareHandler {
  const limits = { fileField, maxFileBytes: config.maxUploadBytes, maxFieldBytes: FORM_MAX_BYTES, tempDir: incomingDir(config.dataDir) };
  return async (c, next) => {
    if (!isMultipart(c)) return next();
    const { fields, file } = await readMultipart(c.req.raw, limits).catch((error) => {
      if (error instanceof HttpError && error.status === 413) c.header("Connection", "close"); // the rest is not worth reading
      throw error;
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(name, one);
    c.req.bodyCache.formData = form;
    c.set("upload", file);
    try {
      await next();
    } finally {
      await file?.discard();
    }
  };
}
