import type { Database } from "bun:sqlite";
import { type Attachment, attachmentsById, deleteAttachmentRow } from "../attachments/attachments.ts";
import { now } from "../db/time.ts";
import { type LinkPreview, linkPreviewsOf } from "../unfurl/link-previews.ts";
import { isAdministrator, namesOf, type User } from "../users/users.ts";
import { type Boost, boostsOf } from "./boosts.ts";
import { mentionsOf } from "./mentions.ts";

export type Message = {
  id: number;
  roomId: number;
  creatorId: number;
  creatorName: string;
  clientMessageId: string;
  bodyHtml: string;
  createdAt: number;
  updatedAt: number;
  /** The room's change number of its latest insert or edit: a reconnecting tab asks for changes after the highest it saw. */
  changeSeq: number;
  /** Space-separated ids of the people it mentions, for the "you were mentioned" highlight. */
  mentions: string;
  /** The mentioned people's current names by id (the body holds only references to them). */
  mentionNames: Readonly<Record<string, string>>;
  /** Its boosts, oldest first. */
  boosts: readonly Boost[];
  /** The author's uploaded picture, if any: its key versions the avatar's URL. */
  creatorAvatarKey?: string | null;
  attachmentId?: number | null;
  /** The file it carries, if any. */
  attachment?: Attachment | null;
  linkPreviewId?: number | null;
  /** The card of a link pasted with it, if any. */
  linkPreview?: LinkPreview | null;
};

/** A message as its row reads; withDetails adds whom it mentions and their names, its boosts, its file and its link preview. */
export type MessageRow = Omit<Message, "mentions" | "mentionNames" | "boosts" | "attachment" | "linkPreview">;
const NO_NAMES: Readonly<Record<string, string>> = Object.freeze({});
const NO_BOOSTS: readonly Boost[] = Object.freeze([]);

/**
 * What a message shows besides its row, for a page of them at once: whom they mention and their
 * boosts in one query each, and the current names of the people mentioned in another, only when
 * someone is. (Subqueries per row cost more: boosts and names in MESSAGE_COLUMNS made a page of 40
 * cost 72 → 130 µs of SQL; the mentions subquery alone, ~20 µs of a page's ~110.)
 */
export function withDetails<R extends MessageRow>(db: Database, rows: R[]): (R & Message)[] {
  const messages = rows as (R & Message)[];
  if (rows.length === 0) return messages;
  const ids = rows.map((row) => row.id);
  const mentions = mentionsOf(db, ids);
  const boosts = boostsOf(db, ids);
  for (const message of messages) message.mentions = mentions.get(message.id) ?? "";
  const mentioned = new Set<number>();
  for (const message of messages) if (message.mentions) for (const id of message.mentions.split(" ")) mentioned.add(Number(id));
  const names = mentioned.size > 0 ? namesOf(db, [...mentioned]) : NO_NAMES;
  const fileIds = rows.flatMap((row) => (row.attachmentId ? [row.attachmentId] : []));
  const files = fileIds.length > 0 ? attachmentsById(db, fileIds) : null;
  // Like the names: one more query only for a page that has a card.
  let previewIds: number[] | null = null;
  for (const row of rows) if (row.linkPreviewId) (previewIds ??= []).push(row.linkPreviewId);
  const previews = previewIds && linkPreviewsOf(db, previewIds);
  for (const message of messages) {
    message.boosts = boosts.get(message.id) ?? NO_BOOSTS;
    message.mentionNames = message.mentions ? names : NO_NAMES;
    message.attachment = (message.attachmentId && files?.get(message.attachmentId)) || null;
    message.linkPreview = (message.linkPreviewId && previews?.get(message.linkPreviewId)) || null;
  }
  return messages;
}

/** Everyone whose name these messages show (authors, people mentioned, boosters): a rename of any of them makes a kept page stale. */
export function peopleShownIn(messages: Message[]): Set<number> {
  const ids = new Set<number>();
  for (const message of messages) {
    ids.add(message.creatorId);
    if (message.mentions) for (const id of message.mentions.split(" ")) ids.add(Number(id));
    for (const boost of message.boosts) ids.add(boost.boosterId);
  }
  return ids;
}

export const MESSAGE_COLUMNS = `messages.id, messages.room_id AS roomId, messages.creator_id AS creatorId,
  CASE users.status WHEN 'deactivated' THEN users.name || ' (deactivated)' ELSE users.name END AS creatorName, messages.client_message_id AS clientMessageId, messages.body_html AS bodyHtml,
  messages.created_at AS createdAt, messages.updated_at AS updatedAt, messages.change_seq AS changeSeq,
  users.avatar_key AS creatorAvatarKey, messages.attachment_id AS attachmentId, messages.link_preview_id AS linkPreviewId`;
export const FROM_MESSAGES = "FROM messages JOIN users ON users.id = messages.creator_id";

export type NewMessage = {
  clientMessageId: string;
  html: string;
  plain: string;
  /** Written in the toolbar composer (HTML) rather than as text: editing it opens the same editor. */
  rich: boolean;
  mentionIds: number[];
  mentionNames: Record<string, string>;
  attachment?: Attachment | null;
  linkPreview?: LinkPreview | null;
};

/**
 * Stores a message unless its author already has one in this room with the same client_message_id
 * (a retry): then the original comes back with `created: false`, and nothing is written.
 */
export function insertMessage(
  db: Database,
  roomId: number,
  creator: User,
  input: NewMessage,
  at = now(),
): { message: Message; created: boolean } {
  // The row takes the room's next change number in the same statement; RETURNING read with .all()
  // (not .get(), which leaves the statement open and stalls WAL checkpoints).
  const [inserted] = db
    .query<
      { id: number; changeSeq: number },
      [number, number, string, string, string, string, number | null, number | null, number, number, number]
    >(
      `INSERT INTO messages (room_id, creator_id, client_message_id, body_html, body_plain, format, attachment_id, link_preview_id, created_at, updated_at, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT change_seq + 1 FROM rooms WHERE id = ?))
       ON CONFLICT (room_id, creator_id, client_message_id) DO NOTHING RETURNING id, change_seq AS changeSeq`,
    )
    .all(
      roomId,
      creator.id,
      input.clientMessageId,
      input.html,
      input.plain,
      input.rich ? "rich" : "text",
      input.attachment?.id ?? null,
      input.linkPreview?.id ?? null,
      at,
      at,
      roomId,
    );
  if (!inserted) return { message: findMessageByClientId(db, roomId, creator.id, input.clientMessageId)!, created: false };
  const { id, changeSeq } = inserted;
  insertMentions(db, id, input.mentionIds);
  db.query("UPDATE rooms SET last_message_at = ?, change_seq = change_seq + 1 WHERE id = ?").run(at, roomId);
  // Everything the new row holds is known here, so it is not read back (it is on the hot path).
  const mentions = [...new Set(input.mentionIds)].sort((a, b) => a - b).join(" ");
  const message: Message = {
    id,
    roomId,
    creatorId: creator.id,
    creatorName: creator.name,
    clientMessageId: input.clientMessageId,
    bodyHtml: input.html,
    createdAt: at,
    updatedAt: at,
    changeSeq,
    mentions,
    mentionNames: input.mentionNames,
    boosts: NO_BOOSTS,
    creatorAvatarKey: creator.avatarKey,
    attachmentId: input.attachment?.id ?? null,
    attachment: input.attachment ?? null,
    linkPreviewId: input.linkPreview?.id ?? null,
    linkPreview: input.linkPreview ?? null,
  };
  return { message, created: true };
}

export function updateMessageBody(db: Database, message: Message, input: Omit<NewMessage, "clientMessageId">): Message {
  db.query(
    `UPDATE messages SET body_html = ?, body_plain = ?, format = ?, updated_at = ?,
       change_seq = (SELECT change_seq + 1 FROM rooms WHERE id = messages.room_id) WHERE id = ?`,
  ).run(input.html, input.plain, input.rich ? "rich" : "text", Math.max(now(), message.updatedAt + 1), message.id);
  bumpChangeSeq(db, message.roomId);
  db.query("DELETE FROM mentions WHERE message_id = ?").run(message.id);
  insertMentions(db, message.id, input.mentionIds);
  return findMessage(db, message.roomId, message.id)!;
}

/**
 * Deletes the message (and its file's row) and leaves a tombstone with the room's next change
 * number, which it returns. The caller removes the file from disk once this has committed.
 */
export function deleteMessage(db: Database, message: Message): number {
  const changeSeq = db.transaction(() => {
    db.query("DELETE FROM messages WHERE id = ?").run(message.id);
    if (message.attachmentId) deleteAttachmentRow(db, message.attachmentId);
    db.query("INSERT INTO message_tombstones (message_id, room_id, change_seq) SELECT ?, id, change_seq + 1 FROM rooms WHERE id = ?").run(
      message.id,
      message.roomId,
    );
    return bumpChangeSeq(db, message.roomId);
  })();
  return changeSeq;
}

/**
 * Something shown with the message changed without editing it (a boost): it takes the room's next
 * change number, so it is re-rendered for the room and replayed to a tab that was away. The caller
 * tells the read cache (`messagesChanged`) once this has committed.
 */
export function touchMessage(db: Database, message: Message): void {
  db.query("UPDATE messages SET change_seq = (SELECT change_seq + 1 FROM rooms WHERE id = messages.room_id) WHERE id = ?").run(message.id);
  bumpChangeSeq(db, message.roomId);
}

/**
 * Whether the message was written in the toolbar composer. Read only to edit it, so the pages and
 * broadcasts that render messages don't read the column.
 */
export function isRichMessage(db: Database, id: number): boolean {
  return db.query<{ format: string }, [number]>("SELECT format FROM messages WHERE id = ?").get(id)?.format === "rich";
}

/** The room a message is in, whoever asks; the caller checks that they may see that room. */
export function roomIdOfMessage(db: Database, id: number): number | null {
  return db.query<{ roomId: number }, [number]>("SELECT room_id AS roomId FROM messages WHERE id = ?").get(id)?.roomId ?? null;
}

function bumpChangeSeq(db: Database, roomId: number): number {
  return db
    .query<{ changeSeq: number }, [number]>("UPDATE rooms SET change_seq = change_seq + 1 WHERE id = ? RETURNING change_seq AS changeSeq")
    .all(roomId)[0]!.changeSeq;
}

/** The number of the room's latest message change: where a page's reader starts following it. */
export function roomChangeSeq(db: Database, roomId: number): number {
  return db.query<{ changeSeq: number }, [number]>("SELECT change_seq AS changeSeq FROM rooms WHERE id = ?").get(roomId)?.changeSeq ?? 0;
}

export type RoomChanges = { changed: Message[]; removed: { id: number; changeSeq: number }[] };

/**
 * What a tab that saw the room up to change `since` missed: messages new or edited since (oldest
 * change first) and ids deleted since, at most `limit` of each.
 */
export function changesSince(db: Database, roomId: number, since: number, limit: number): RoomChanges {
  const changed = withDetails(
    db,
    db
      .query<MessageRow, [number, number, number]>(
        `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.change_seq > ?
       ORDER BY messages.change_seq LIMIT ?`,
      )
      .all(roomId, since, limit),
  );
  const removed = db
    .query<{ id: number; changeSeq: number }, [number, number, number]>(
      `SELECT message_id AS id, change_seq AS changeSeq FROM message_tombstones WHERE room_id = ? AND change_seq > ?
       ORDER BY change_seq LIMIT ?`,
    )
    .all(roomId, since, limit);
  return { changed, removed };
}

function insertMentions(db: Database, messageId: number, userIds: number[]): void {
  const insert = db.query("INSERT INTO mentions (message_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
  for (const userId of userIds) insert.run(messageId, userId);
}

/** Looks a message up within a room the caller has already authorized. */
export function findMessage(db: Database, roomId: number, id: number): Message | null {
  const row = db
    .query<MessageRow, [number, number]>(`SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id = ?`)
    .get(roomId, id);
  return row && withDetails(db, [row])[0]!;
}

function findMessageByClientId(db: Database, roomId: number, creatorId: number, clientMessageId: string): Message | null {
  const row = db
    .query<MessageRow, [number, number, string]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES}
       WHERE messages.room_id = ? AND messages.creator_id = ? AND messages.client_message_id = ?`,
    )
    .get(roomId, creatorId, clientMessageId);
  return row && withDetails(db, [row])[0]!;
}

/** Who may edit or delete a message: its author and administrators. */
export const canAdministerMessage = (user: User, message: Message): boolean => isAdministrator(user) || user.id === message.creatorId;

/** Every message a person wrote, in every room (a ban removes them all). */
export function messagesBy(db: Database, creatorId: number): Message[] {
  const rows = db
    .query<MessageRow, [number]>(`SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.creator_id = ? ORDER BY messages.id`)
    .all(creatorId);
  return withDetails(db, rows);
}
