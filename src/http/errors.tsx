/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage } from "../../templates/errors/error-page.tsx";
import { Flash } from "../../templates/shared/flash.tsx";
import { isDiskFull } from "../db/disk-space.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { isHtmx, wantsJson } from "./request.ts";

/** An expected refusal: its message is shown to the person as it is. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    /** The page's heading, when the status's usual one ("Page not found") would mislead. */
    readonly title?: string,
  ) {
    super(message);
  }
}

const DISK_FULL_MESSAGE = "Campfire's disk is full, so this couldn't be saved. Please try again in a while.";

export const NOT_FOUND_MESSAGE = "We couldn't find that page. It may have moved, or you may not have access to it.";

export function orNotFound<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new HttpError(404, NOT_FOUND_MESSAGE);
  return value;
}

/** The same refusal as a JSON body, an htmx flash fragment or a whole page, whichever the client asked for. */
export function renderError(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  message: string,
  title?: string,
): Response | Promise<Response> {
  if (wantsJson(c)) return c.json({ error: message }, status);
  if (isHtmx(c)) {
    c.header("HX-Retarget", "#flash");
    c.header("HX-Reswap", "innerHTML");
    return c.html(<Flash kind="alert" message={message} />, status);
  }
  return c.html(<ErrorPage status={status} title={title} message={message} requestId={c.get("requestId")} />, status);
}

export function handleError(ctx: AppContext) {
  return (error: Error, c: Context<AppEnv>): Response | Promise<Response> => {
    if (error instanceof HttpError) return renderError(c, error.status, error.message, error.title);
    if (error instanceof HTTPException && error.status < 500) {
      return renderError(c, error.status, error.message || "That request could not be understood.");
    }
    const requestId = c.get("requestId");
    if (isDiskFull(error)) {
      ctx.diskSpace.markFull({ requestId, path: c.req.path });
      c.header("Retry-After", "60");
      return renderError(c, 503, DISK_FULL_MESSAGE);
    }
    ctx.log("error", "request failed", { requestId, method: c.req.method, path: c.req.path, error });
    return renderError(c, 500, `Something went wrong on our side. It has been logged as ${requestId}.`);
  };
}
