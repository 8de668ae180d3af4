/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

/** Copies the value of the element with id `target` (a join link) to the clipboard; the client wires it up. */
export const CopyButton: FC<{ target: string; label?: string }> = ({ target, label = "Copy link" }) => (
  <button type="button" class="button copy-button" data-copy={target}>
    {label}
  </button>
);
