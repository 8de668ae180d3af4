import { bodyLimit } from "hono/body-limit";
import { renderError } from "./errors.tsx";

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
