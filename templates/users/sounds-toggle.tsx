/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

/** The sidebar's switch for /play sounds; it sends the opposite of the current setting and is answered with itself. */
export const SoundsToggle: FC<{ muted: boolean }> = ({ muted }) => (
  <form class="sounds-toggle" hx-patch="/users/me/sounds" hx-swap="outerHTML" data-sounds-toggle data-muted={String(muted)}>
    <input type="hidden" name="muted" value={String(!muted)} />
    <button class="button button--quiet" type="submit" aria-pressed={String(muted)} title={muted ? "Sounds are off: turn /play sounds on" : "Turn /play sounds off"}>
      {muted ? "🔇 Sounds off" : "🔊 Sounds on"}
    </button>
  </form>
);
