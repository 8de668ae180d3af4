/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { User } from "../../src/users/users.ts";

const AVATAR_COLOURS = 12;

export const initials = (name: string): string =>
  (name.match(/\b\p{L}|\b\p{N}/gu) ?? [name.charAt(0)]).slice(0, 3).join("").toUpperCase();

export const avatarClass = (userId: number): string => `avatar avatar--${userId % AVATAR_COLOURS}`;

/** Initials on a colour picked from the user id, so the same person always looks the same. */
export const Avatar: FC<{ user: Pick<User, "id" | "name"> }> = ({ user }) => (
  <span class={avatarClass(user.id)} title={user.name} aria-hidden="true">
    {initials(user.name)}
  </span>
);
