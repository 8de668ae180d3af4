/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "./env.ts";

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
