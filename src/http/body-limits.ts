import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { renderError } from "./errors.tsx";
import { BOT_API_PATH } from "./request.ts";

/** Forms and JSON: far more than any message, name or setting needs. */
export const FORM_MAX_BYTES = 1024 * 1024;

/**
 * Refuses a body larger than `maxBytes` with 413 before it is buffered: at once when Content-Length
 * says so, or as soon as a chunked body passes the limit. Without it, eight 100 MB posts to the
 * sign-in form took the process from 67 MB to about 1 GB before the form was even looked at.
 */
export function limitBody(maxBytes: number) {
  const megabytes = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.header("Connection", "close"); // the rest of the body is not worth reading
      return renderError(c, 413, `That request is too large: at most ${megabytes} MB can be sent here.`);
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
 * The form limit everywhere but on the upload routes, which take a file of up to `maxUploadBytes`
 * (plus a form's worth for the other fields). Either is refused before the body is read.
 */
export function limitBodies(maxUploadBytes: number): MiddlewareHandler {
  const forms = limitBody(FORM_MAX_BYTES);
  const uploads = limitBody(maxUploadBytes + FORM_MAX_BYTES);
  // A bot's raw text post shares its address with its file post: only a multipart body may be a file's size.
  const isUpload = (c: Parameters<MiddlewareHandler>[0]) =>
    ["POST", "PATCH"].includes(c.req.method) &&
    UPLOAD_ROUTES.some((route) => route.test(c.req.path)) &&
    (!BOT_API_PATH.test(c.req.path) || (c.req.header("content-type") ?? "").startsWith("multipart/form-data"));
  return (c, next) => (isUpload(c) ? uploads : forms)(c, next);
}

/**
 * Multipart bodies parsed by Bun straight from the request. Hono's form validator would first copy
 * the body into an ArrayBuffer (which it keeps) and parse that, holding each upload twice: ten
 * 20 MB uploads took the server from 68 to 413 MB that way. A body that is not multipart at all
 * is refused here with 400 rather than reaching the validator as an exception.
 */
export const parseMultipartOnce: MiddlewareHandler = async (c, next) => {
  if (!c.req.header("content-type")?.startsWith("multipart/form-data")) return next();
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    return renderError(c, 400, "That upload could not be read: please send it again.");
  }
  c.req.bodyCache.formData = form;
  await next();
};
