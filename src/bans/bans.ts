import type { Database } from "bun:sqlite";
import type { MiddlewareHandler } from "hono";
import { type Actor, recordAdminAction } from "../audit/audit-log.ts";
import { now } from "../db/time.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { renderError } from "../http/errors.tsx";
import { clientIp } from "../http/request.ts";
import { messagesBy } from "../messages/messages.ts";
import { removeMessage } from "../messages/receive.ts";
import { endAllSessions, sessionAddressesOf } from "../sessions/sessions.ts";
import { forgetTransfers } from "../sessions/transfers.ts";
import { isLastAdministrator, LAST_ADMINISTRATOR } from "../users/administration.ts";
import type { User } from "../users/users.ts";

/**
 * This machine (or a reverse proxy on it, whose address every request would carry if it forwarded
 * none) is never banned: that would refuse every post from everyone. Private (LAN) addresses are
 * banned, since on a small network they are the people themselves, but the confirmation shows who
 * else was seen there.
 */
const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/;
export const isBannable = (ip: string): boolean => !LOOPBACK.test(ip) && ip !== "unknown";

/**
 * The banned addresses, kept in memory so that refusing a request costs a Set lookup, not a query;
 * only this module writes the bans table, and it reloads the set after each change.
 */
export class BannedAddresses {
  private addresses = new Set<string>();

  static load(db: Database): BannedAddresses {
    const bans = new BannedAddresses();
    bans.reload(db);
    return bans;
  }

  reload(db: Database): void {
    const rows = db.query<{ ip: string }, []>("SELECT DISTINCT ip_address AS ip FROM bans").all();
    this.addresses = new Set(rows.map((row) => row.ip));
  }

  has(ip: string | null): boolean {
    return ip !== null && this.addresses.has(ip);
  }

  get size(): number {
    return this.addresses.size;
  }
}

/** Reading stays open (a banned address may be shared); anything that writes is refused with 429, as the original does. */
export function refuseBannedAddresses(ctx: Pick<AppContext, "bans">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // With no bans (nearly always), a post costs no address lookup at all.
    if (ctx.bans.size === 0 || c.req.method === "GET" || c.req.method === "HEAD" || !ctx.bans.has(clientIp(c))) return next();
    return renderError(c, 429, "Requests from your network address have been blocked by an administrator.");
  };
}

export type BanCandidate = { ip: string; otherPeople: string[] };

/** The addresses a ban would block (those of the person's sessions), each with the other active people seen there. */
export function banCandidates(db: Database, userId: number): BanCandidate[] {
  return sessionAddressesOf(db, userId).filter((address) => isBannable(address.ip));
}

export function bannedAddressesOf(db: Database, userId: number): string[] {
  return db
    .query<{ ip: string }, [number]>("SELECT ip_address AS ip FROM bans WHERE user_id = ? ORDER BY ip_address")
    .all(userId)
    .map((row) => row.ip);
}

const REMOVALS_PER_TURN = 100;

type Deps = Pick<AppContext, "db" | "cache" | "publisher" | "connections" | "bans" | "config">;

/**
 * Banning, step by step: refuse the last administrator → in one transaction, record a ban for each
 * address the person's sessions came from, end those sessions and transfer links, mark them banned
 * and log it → refuse those addresses from now on → close their tabs → delete every message of
 * theirs through the ordinary delete path, so each disappears from every open screen at once and
 * from tabs that catch up later (tombstones).
 */
export async function banUser(deps: Deps, actor: Actor, person: User): Promise<string | null> {
  const { db } = deps;
  if (person.id === actor.user.id) return "You can't ban yourself.";
  if (person.role === "bot") return "Bots are removed from the bots page.";
  if (person.status === "banned") return null;
  // Lifting a ban makes the person active again: that must not bring back someone deactivated.
  if (person.status !== "active") return "Only active people can be banned.";
  if (isLastAdministrator(db, person)) return LAST_ADMINISTRATOR;
  const addresses = banCandidates(db, person.id).map((candidate) => candidate.ip);
  db.transaction(() => {
    const at = now();
    for (const ip of addresses)
      db.query("INSERT INTO bans (user_id, ip_address, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(person.id, ip, at);
    endAllSessions(db, person.id);
    forgetTransfers(db, person.id);
    db.query("UPDATE users SET status = 'banned', updated_at = ? WHERE id = ?").run(at, person.id);
    recordAdminAction(db, { actorId: actor.user.id, action: "person_banned", subjectId: person.id, details: { addresses }, ip: actor.ip });
  })();
  deps.bans.reload(db);
  deps.cache.personChanged(person.id);
  deps.connections.close((socket) => socket.userId === person.id, "Your account was banned.");
  // ~0.25 ms each here: a spammer's thousands of messages would hold the event loop for seconds,
  // so other requests get a turn every REMOVALS_PER_TURN.
  for (const [index, message] of messagesBy(db, person.id).entries()) {
    await removeMessage(deps, message);
    if (index % REMOVALS_PER_TURN === REMOVALS_PER_TURN - 1) await Bun.sleep(0);
  }
  return null;
}

/** Lifts the ban: the addresses are free again and the person may sign in; their deleted messages stay deleted. */
export function unbanUser(deps: Deps, actor: Actor, person: User): void {
  const { db } = deps;
  if (person.status !== "banned") return;
  db.transaction(() => {
    const addresses = bannedAddressesOf(db, person.id);
    db.query("DELETE FROM bans WHERE user_id = ?").run(person.id);
    db.query("UPDATE users SET status = 'active', updated_at = ? WHERE id = ?").run(now(), person.id);
    recordAdminAction(db, {
      actorId: actor.user.id,
      action: "person_unbanned",
      subjectId: person.id,
      details: { addresses },
      ip: actor.ip,
    });
  })();
  deps.bans.reload(db);
  deps.cache.personChanged(person.id);
}
