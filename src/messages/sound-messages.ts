import { soundPicturePath } from "../http/assets.ts";
import { escapeHtml, type FormattedBody } from "./sanitize.ts";
import { isSoundName, SOUND_NAMES, SOUNDS, type SoundName } from "./sounds.ts";

// "/play", alone or with one word, is a command; "/play" followed by more is ordinary text.
const PLAY_COMMAND = /^\/play(?:[ \t]+(\S+))?$/i;

/**
 * What a posted body asks to play: a sound's name, "unknown" for `/play` alone or a name we don't
 * have (the poster is shown the list, nothing is posted), or null when it is not a /play command.
 */
export function playCommand(body: string): SoundName | "unknown" | null {
  if (!body.startsWith("/play", body.search(/\S/))) return null;
  const found = PLAY_COMMAND.exec(body.trim());
  if (!found) return null;
  const name = found[1]?.toLowerCase() ?? "";
  return isSoundName(name) ? name : "unknown";
}

// An unknown name is quoted back, but not at any length.
const QUOTED_NAME_MAX = 30;

/** The answer to `/play` alone or an unknown name: every sound there is. */
export function soundList(body: string): string {
  const name = PLAY_COMMAND.exec(body.trim())?.[1];
  const quoted = name && name.length > QUOTED_NAME_MAX ? `${name.slice(0, QUOTED_NAME_MAX)}…` : name;
  const start = quoted ? `There is no sound called “${quoted}”.` : "Say which sound to play.";
  return `${start} Try /play with one of: ${SOUND_NAMES.join(", ")}.`;
}

/**
 * A sound's message: a play button and its line of text or picture. The name rides in
 * data-sound, so the browser can play it when the message arrives live; the plain text is the
 * command, for search and for editing.
 */
export function soundMessage(name: SoundName): FormattedBody {
  const sound = SOUNDS[name];
  const shown =
    sound.kind === "picture"
      ? `<img class="sound__picture" src="${soundPicturePath(name)}" alt="${escapeHtml(sound.alt)}" width="64" height="64">`
      : `<span class="sound__text">${escapeHtml(sound.text)}</span>`;
  const html =
    `<div class="sound" data-sound="${name}"><button type="button" class="sound__play" data-play-sound="${name}" title="Play ${name}"` +
    ` aria-label="Play the ${name} sound">🔊</button>${shown}</div>`;
  return { html, plain: `/play ${name}` };
}
