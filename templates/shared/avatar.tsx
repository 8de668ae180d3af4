/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { type Html, html, inJsx } from "../html.ts";
import { avatarClass, avatarUrl, initials } from "./avatar-look.ts";

export { avatarClass, avatarUrl, initials };

type Face = { id: number; name: string; avatarKey?: string | null };

/**
 * A person's face: their picture when they uploaded one (its URL changes with it), else initials
 * on a colour picked from their id, which need no request. `data-avatar-of` lets a tab swap every
 * face of a person when they change it; a message's face goes without (its article names the
 * author already, and the hottest fragment stays as small as it was).
 */
export const avatarHtml = ({ id, name, avatarKey }: Face, tagged = true): Html => {
  const of = tagged ? html` data-avatar-of="${id}"` : "";
  return avatarKey
    ? html`<img class="${avatarClass(id)} avatar--picture" src="${avatarUrl(id, avatarKey)}" alt="" title="${name}"${of}>`
    : html`<span class="${avatarClass(id)}" title="${name}" aria-hidden="true"${of}>${initials(name)}</span>`;
};

export const Avatar: FC<{ user: Face }> = ({ user }) => inJsx(avatarHtml(user));
