/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { User } from "../../src/users/users.ts";

import { avatarClass, avatarUrl, initials } from "./avatar-look.ts";

export { avatarClass, avatarUrl, initials };

/** Initials on a colour picked from the user id, so the same person always looks the same. */
export const Avatar: FC<{ user: Pick<User, "id" | "name"> }> = ({ user }) => (
  <span class={avatarClass(user.id)} title={user.name} aria-hidden="true">
    {initials(user.name)}
  </span>
);
