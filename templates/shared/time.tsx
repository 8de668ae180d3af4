/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

const DAY_MS = 86_400_000;
const MAX_DAYS_KEPT = 1000;
const dayPrefixes = new Map<number, string>();
const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(at).toISOString()` at a fraction of its cost (it was a sixth of rendering a message):
 * the messages of a page share a few days, so each day's "YYYY-MM-DDT" is worked out once.
 */
export function isoTime(at: number): string {
  const day = Math.floor(at / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= MAX_DAYS_KEPT) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const ms = at - day * DAY_MS;
  const milli = ms % 1000;
  return `${prefix}${twoDigits(Math.floor(ms / 3_600_000))}:${twoDigits(Math.floor(ms / 60_000) % 60)}:${twoDigits(Math.floor(ms / 1000) % 60)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

/** Rendered in UTC so every viewer gets the same bytes; the client rewrites it in the reader's own time zone. */
export const LocalTime: FC<{ at: number; format?: "time" | "datetime" }> = ({ at, format = "time" }) => {
  const iso = isoTime(at);
  return (
    <time datetime={iso} data-local-time={format}>
      {format === "time" ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`}
    </time>
  );
};
