/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { type Html, html, inJsx, keep } from "../html.ts";

/**
 * The sidebar's switch for /play sounds: a toggle button (pressed = muted) that sends the opposite
 * of the current setting and is answered with itself.
 */
export const soundsToggleHtml = (muted: boolean): Html => (muted ? MUTED : PLAYING);

const toggle = (muted: boolean): Html =>
  html`<form class="sounds-toggle" hx-patch="/users/me/sounds" hx-swap="outerHTML" data-sounds-toggle data-muted="${String(muted)}">
    <input type="hidden" name="muted" value="${String(!muted)}">
    <button
      class="button button--quiet sounds-toggle__button"
      type="submit"
      aria-label="Mute /play sounds"
      aria-pressed="${String(muted)}"
      title="${muted ? "Sounds are off: turn /play sounds on" : "Turn /play sounds off"}">${muted ? "🔇" : "🔊"}</button>
  </form>`;

// Two variants only, so each is made once (every page's sidebar has one).
const MUTED = keep(toggle(true));
const PLAYING = keep(toggle(false));

export const SoundsToggle: FC<{ muted: boolean }> = ({ muted }) => inJsx(soundsToggleHtml(muted));
