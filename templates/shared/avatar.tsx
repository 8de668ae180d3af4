/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { type Html, html, inJsx, keep } from "../html.ts";
import { avatarClass, avatarUrl, initials } from "./avatar-look.ts";

export { avatarClass, avatarUrl, initials };

type Face = { id: number; name: string; avatarKey?: string | null };

/**
 * A person's face: their picture when they uploaded one (its URL changes with it), else initials
 * on a colour picked from their id, which need no request. `data-avatar-of` lets a tab swap every
 * face of a person when they change it; a message's face goes without (its article names the
 * author already, and the hottest fragment stays as small as it was).
 */
export function avatarHtml({ id, name, avatarKey = null }: Face, tagged = true): Html {
  const kept = (tagged ? taggedFaces : untaggedFaces).get(id);
  if (kept?.name === name && kept.avatarKey === avatarKey) return kept.html;
  const of = tagged ? html` data-avatar-of="${id}"` : "";
  const face = avatarKey
    ? html`<img class="${avatarClass(id)} avatar--picture" src="${avatarUrl(id, avatarKey)}" alt="" title="${name}"${of}>`
    : html`<span class="${avatarClass(id)}" title="${name}" aria-hidden="true"${of}>${initials(name)}</span>`;
  const flat = keep(face);
  remember(tagged ? taggedFaces : untaggedFaces, id, { name, avatarKey, html: flat });
  return flat;
}

// Every page draws the same few faces (the sidebar's direct rooms, its footer, "here now"), and
// working out initials takes a Unicode regular expression: each face is made once per name and
// picture, and made again when either changes.
type KeptFace = { name: string; avatarKey: string | null; html: Html };
const taggedFaces = new Map<number, KeptFace>();
const untaggedFaces = new Map<number, KeptFace>();
const MAX_FACES = 1000;

function remember(faces: Map<number, KeptFace>, id: number, face: KeptFace): void {
  if (faces.size >= MAX_FACES) faces.clear();
  faces.set(id, face);
}

export const Avatar: FC<{ user: Face }> = ({ user }) => inJsx(avatarHtml(user));
