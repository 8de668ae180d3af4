import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import type { User } from "../users/users.ts";

/** An administrator acting, and the address they act from: what every logged action records. */
export type Actor = { user: User; ip: string | null };

/** What administrators do, as the log names it. Other modules (bots) add theirs by name. */
export type AdminAction =
  | "role_changed"
  | "person_deactivated"
  | "person_banned"
  | "person_unbanned"
  | "join_link_regenerated"
  | "transfer_link_made"
  | "account_updated"
  | "logo_changed"
  | "logo_removed"
  | "custom_styles_changed"
  | "bot_created"
  | "bot_updated"
  | "bot_key_renewed"
  | "bot_deactivated"
  | (string & {});

export type AuditEntry = {
  id: number;
  actorId: number;
  actorName: string;
  action: string;
  subjectId: number | null;
  subjectName: string | null;
  details: Record<string, unknown>;
  ipAddress: string | null;
  createdAt: number;
};

/**
 * Appends one administrator action to the log (who, what, whom, from where). Call it in the same
 * transaction as the change it records, so neither exists without the other. The table refuses
 * UPDATE and DELETE (migration 012), so what is written here stays as written.
 */
export function recordAdminAction(
  db: Database,
  entry: { actorId: number; action: AdminAction; subjectId?: number | null; details?: Record<string, unknown>; ip: string | null },
): void {
  db.query(
    `INSERT INTO audit_log (actor_id, action, subject_id, details, ip_address, created_at)
     VALUES ($actorId, $action, $subjectId, $details, $ip, $at)`,
  ).run({
    actorId: entry.actorId,
    action: entry.action,
    subjectId: entry.subjectId ?? null,
    details: JSON.stringify(entry.details ?? {}),
    ip: entry.ip,
    at: now(),
  });
}

/** Newest first, a page at a time (`before` = the last id shown). */
export function auditEntries(db: Database, { before, limit }: { before?: number; limit: number }): AuditEntry[] {
  return db
    .query<AuditEntry & { details: string }, { before: number | null; limit: number }>(
      `SELECT audit_log.id, actor_id AS actorId, actors.name AS actorName, action, subject_id AS subjectId,
              subjects.name AS subjectName, details, ip_address AS ipAddress, audit_log.created_at AS createdAt
       FROM audit_log JOIN users actors ON actors.id = audit_log.actor_id LEFT JOIN users subjects ON subjects.id = audit_log.subject_id
       WHERE $before IS NULL OR audit_log.id < $before
       ORDER BY audit_log.id DESC LIMIT $limit`,
    )
    .all({ before: before ?? null, limit })
    .map((row) => ({ ...row, details: JSON.parse(row.details) }));
}
