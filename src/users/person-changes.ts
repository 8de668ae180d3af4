import { personFrame } from "../../templates/frames.ts";
import { avatarHtml } from "../../templates/shared/avatar.tsx";
import type { AppContext } from "../http/env.ts";
import { userTopic } from "../realtime/topics.ts";
import { announcePresence } from "../rooms/broadcasts.ts";
import { roomsPresentIn } from "../rooms/presence.ts";
import { peopleWhoSee } from "./avatars.ts";
import { findUser } from "./users.ts";

type Deps = Pick<AppContext, "db" | "cache" | "publisher" | "connections">;

/**
 * After a rename (or a deactivation, which shows in the name) has committed: the read cache forgets
 * every kept page and sidebar entry that shows the person, their open tabs type under the new name,
 * and one small frame, rendered once, goes to everyone who shares a room with them so names in
 * messages, mentions, sidebars and "here now" change on every open screen at once.
 */
export function announcePersonChange(
  { db, cache, publisher, connections }: Deps,
  userId: number,
  // Deactivation names its audience before the person leaves their rooms.
  audience: number[] = peopleWhoSee(db, userId),
): void {
  cache.personChanged(userId);
  const person = findUser(db, userId);
  if (!person) return;
  const name = shownName(person);
  for (const ws of connections.socketsOf(userId)) ws.data.userName = name;
  const frame = personFrame(userId, name, avatarHtml({ ...person, name }));
  for (const id of audience) publisher.publish(userTopic(id), frame);
  for (const roomId of roomsPresentIn(db, userId)) announcePresence({ db, publisher, connections }, roomId);
}

/** The name messages show: a deactivated person's messages stay under their name, marked as such. */
export const shownName = (person: { name: string; status: string }): string =>
  person.status === "deactivated" ? `${person.name} (deactivated)` : person.name;
