/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

/** Rendered in UTC so every viewer gets the same bytes; the client rewrites it in the reader's own time zone. */
export const LocalTime: FC<{ at: number; format?: "time" | "datetime" }> = ({ at, format = "time" }) => {
  const iso = new Date(at).toISOString();
  return (
    <time datetime={iso} data-local-time={format}>
      {format === "time" ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`}
    </time>
  );
};
