import type { Database } from "bun:sqlite";
import { type Actor, recordAdminAction } from "../audit/audit-log.ts";
import { now } from "../db/time.ts";
import type { AppContext } from "../http/env.ts";
import { removeSubscriptionsOf } from "../push/subscriptions.ts";
import { leaveAllRooms } from "../rooms/memberships.ts";
import { deleteSearches } from "../search/searches.ts";
import { endAllSessions } from "../sessions/sessions.ts";
import { forgetTransfers } from "../sessions/transfers.ts";
import { peopleWhoSee } from "./avatars.ts";
import { announcePersonChange } from "./person-changes.ts";
import { findUser, USER_COLUMNS, type User } from "./users.ts";

type Deps = Pick<AppContext, "db" | "cache" | "publisher" | "connections">;

export const LAST_ADMINISTRATOR = "This is the last administrator: make someone else an administrator first.";

/** The account always keeps one active administrator, or nobody could manage it again. */
export function isLastAdministrator(db: Database, user: User): boolean {
  if (user.role !== "admin" || user.status !== "active") return false;
  return db.query("SELECT 1 FROM users WHERE role = 'admin' AND status = 'active' AND id != ? LIMIT 1").get(user.id) === null;
}

/** The people on the account page, as the original lists them: active and banned (bots and deactivated people aside), administrators first, then by name. */
export function everyone(db: Database): User[] {
  return db
    .query<User, []>(
      `SELECT ${USER_COLUMNS} FROM users WHERE role != 'bot' AND status != 'deactivated'
       ORDER BY role = 'admin' DESC, name COLLATE NOCASE, id`,
    )
    .all();
}

/** Makes a person an administrator or a member; never one's own role, never the last administrator's. */
export function changeRole({ db, cache }: Deps, actor: Actor, person: User, role: "admin" | "member"): string | null {
  if (person.id === actor.user.id) return "You can't change your own role.";
  if (person.role === "bot" || person.status !== "active") return "Only active people have a role to change.";
  if (person.role === role) return null;
  db.transaction(() => {
    db.query("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").run(role, now(), person.id);
    recordAdminAction(db, { actorId: actor.user.id, action: "role_changed", subjectId: person.id, details: { role }, ip: actor.ip });
  })();
  // Their next request (any tab) must be judged by the new role, not the session kept a moment ago.
  cache.personChanged(person.id);
  return null;
}

/**
 * Deactivating, step by step: refuse the last administrator → in one transaction, leave every room,
 * end every session and transfer link, forget recent searches and push devices, mark the person
 * deactivated and free their email address (NULL: the UNIQUE index allows any number), and log it
 * → close their open tabs → rooms and names everywhere show them as deactivated. Their messages stay.
 */
export function deactivateUser(deps: Deps, actor: Actor, person: User): string | null {
  const { db, cache, connections } = deps;
  if (person.role === "bot") return "Bots are removed from the bots page.";
  if (person.status === "deactivated") return null;
  if (isLastAdministrator(db, person)) return LAST_ADMINISTRATOR;
  const audience = peopleWhoSee(db, person.id);
  const rooms = db.transaction(() => {
    const left = leaveAllRooms(db, person.id);
    endAllSessions(db, person.id);
    forgetTransfers(db, person.id);
    deleteSearches(db, person.id);
    removeSubscriptionsOf(db, person.id);
    db.query("UPDATE users SET status = 'deactivated', email_address = NULL, updated_at = ? WHERE id = ?").run(now(), person.id);
    recordAdminAction(db, {
      actorId: actor.user.id,
      action: "person_deactivated",
      subjectId: person.id,
      details: { email_address: person.emailAddress },
      ip: actor.ip,
    });
    return left;
  })();
  connections.close((socket) => socket.userId === person.id, "Your account was deactivated.");
  for (const roomId of rooms) cache.roomChanged(roomId);
  announcePersonChange(deps, person.id, audience);
  return null;
}

export const findPerson = (db: Database, id: number): User | null => {
  const user = findUser(db, id);
  return user && user.role !== "bot" ? user : null;
};
