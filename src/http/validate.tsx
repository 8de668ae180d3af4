/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./env.ts";
import { HttpError, NOT_FOUND_MESSAGE, renderError } from "./errors.tsx";

type FormValues = Record<string, string>;

/**
 * Parses a form with zod. When it is invalid, `rerender` answers 422 with the form again:
 * what the person typed (passwords aside) and the first problem in words.
 */
export function validForm<S extends z.ZodType>(
  schema: S,
  rerender: (c: Context<AppEnv>, values: FormValues, error: string) => Response | Promise<Response>,
) {
  return zValidator("form", schema, (result, c) => {
    if (result.success) return;
    const values = Object.fromEntries(
      Object.entries((result.data ?? {}) as Record<string, unknown>).filter(
        ([key, value]) => typeof value === "string" && !key.includes("password"),
      ),
    ) as FormValues;
    return rerender(c as Context<AppEnv>, values, result.error.issues[0]?.message ?? "Please check the form.");
  });
}

// Only the way an id is written: coercing would also take "0x1", " 1", "01" and "1e0" as 1, so one
// record would have many addresses (and caches, logs and links would disagree about them).
const idWritten = (pattern: RegExp) =>
  z.string().regex(pattern, "That is not an id.").transform(Number).pipe(z.number().max(Number.MAX_SAFE_INTEGER, "That is not an id."));

export const positiveId = idWritten(/^[1-9][0-9]{0,15}$/);
/** A position in a list of records, where 0 is before the first one. */
export const positionId = idWritten(/^(0|[1-9][0-9]{0,15})$/);

/** A record id in the path; anything that is not a positive integer names nothing, so it is a 404. */
export const idParam = zValidator("param", z.object({ id: positiveId }), (result) => {
  if (!result.success) throw new HttpError(404, NOT_FOUND_MESSAGE);
});

/** Parses an optional value (query string, cookie) that may be ignored when it is malformed. */
export function optional<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * A zValidator hook for fragment and API routes: invalid input is answered with `status` and the
 * first problem in words (or `message`, for a 404 that should not explain itself).
 */
export const refuseWith =
  (status: 404 | 422, message?: string) => (result: { success: boolean; error?: { issues: { message: string }[] } }, c: Context) => {
    if (!result.success) return renderError(c, status, message ?? result.error?.issues[0]?.message ?? "Please check what you sent.");
  };
