import type { Database } from "bun:sqlite";
import { activityFrame, messageRemovedFrame, messagesFrame } from "../../templates/frames.ts";
import { messageHtml } from "../../templates/messages/message.tsx";
import { deleteAttachmentRow, type FrameSize, insertAttachment, removeFiles, storeFile } from "../attachments/attachments.ts";
import { enqueueWebhooks } from "../bots/webhooks.ts";
import type { ReadCache } from "../cache/read-cache.ts";
import type { GroupCommit } from "../db/group-commit.ts";
import { now } from "../db/time.ts";
import type { ReceivedFile } from "../http/multipart.ts";
import { enqueueMessagePush } from "../push/jobs.ts";
import { mayPush } from "../push/subscriptions.ts";
import { MAX_BODY_CHARS } from "../realtime/protocol.ts";
import type { Publisher } from "../realtime/publish.ts";
import { activityTopic, roomTopic } from "../realtime/topics.ts";
import { markUnread } from "../rooms/memberships.ts";
import { CONNECTION_TTL_MS } from "../rooms/presence.ts";
import type { Room } from "../rooms/rooms.ts";
import type { LinkPreview } from "../unfurl/link-previews.ts";
import type { User } from "../users/users.ts";
import { addBoost, boostContent, removeBoost } from "./boosts.ts";
import { linkMentions } from "./mentions.ts";
import { deleteMessage, findMessage, insertMessage, type Message, touchMessage, updateMessageBody } from "./messages.ts";
import { formatRichText, formatText, isBlank } from "./sanitize.ts";
import { playCommand, soundList, soundMessage } from "./sound-messages.ts";

type Deps = { db: Database; cache: ReadCache; publisher: Publisher; config: { dataDir: string } };
type PostDeps = Deps & { writer: GroupCommit };
export type Posted = { message: Message; created: boolean; html: string };

/**
 * Formats and checks a body; a string answer is the reason it was refused. A file may come without
 * words. Rich bodies (the toolbar composer's HTML) go through the sanitizer's allowlist, everything
 * else is text: the caller says which, the body is never sniffed.
 */
function prepareBody(
  db: Database,
  roomId: number,
  body: string,
  { rich = false, withFile = false, origin }: { rich?: boolean; withFile?: boolean; origin?: string } = {},
) {
  const formatted = rich ? formatRichText(body, origin) : formatText(body, origin);
  // Read from the plain text, so a command typed in a rich-text editor (<div>/play tada</div>) counts too.
  const sound = playCommand(formatted.plain);
  if (sound === "unknown") return soundList(formatted.plain);
  const { html, plain } = sound ? soundMessage(sound) : formatted;
  if (isBlank(plain) && !withFile) return "A message needs some text.";
  if (plain.length > MAX_BODY_CHARS)
    return `A message can be at most ${MAX_BODY_CHARS.toLocaleString("en")} characters (this one has ${plain.length.toLocaleString("en")}).`;
  // A sound is edited as the command that played it, which is text.
  return { ...linkMentions(db, roomId, html), plain, rich: rich && !sound };
}

/**
 * Posting, step by step: check the body → write its file, if any, to disk (and its preview) →
 * store the message and its file's row (a retry with the same client_message_id gets the original
 * back, drops the new file and goes no further), mark the room unread, enqueue the webhooks of
 * the bots it addresses (never for a webhook's own reply: no loops) and queue its pushes (if anyone
 * may get one), committed together with the other posts of this moment → tell the read cache →
 * render once → publish.
 * `at` backdates a message (imports, the benchmark's seed); people's posts take the clock.
 */
export async function postMessage(
  { db, cache, publisher, writer, config }: PostDeps,
  user: User,
  room: Room,
  input: {
    body: string;
    rich?: boolean;
    /** This server's address as the author reached it: links to it open in the same tab. */
    origin?: string;
    clientMessageId: string;
    at?: number;
    file?: ReceivedFile;
    frame?: FrameSize;
    linkPreview?: LinkPreview | null;
    webhookReply?: boolean;
  },
): Promise<Posted | string> {
  const body = prepareBody(db, room.id, input.body, { rich: input.rich, withFile: input.file !== undefined, origin: input.origin });
  if (typeof body === "string") return body;
  const file = input.file && (await storeFile(config.dataDir, input.file, input.frame));
  let stored: { message: Message; created: boolean };
  try {
    stored = await writer.run(() => {
      const attachment = file ? { ...file, id: insertAttachment(db, file) } : null;
      const result = insertMessage(
        db,
        room.id,
        user,
        { ...body, clientMessageId: input.clientMessageId, attachment, linkPreview: input.linkPreview },
        input.at,
      );
      if (result.created) {
        markUnread(db, room.id, user.id, now() - CONNECTION_TTL_MS);
        if (!input.webhookReply) enqueueWebhooks(db, room, result.message, body.mentionIds);
        if (mayPush({ db, cache }, room.id, user.id, body.mentionIds)) enqueueMessagePush(db, result.message.id);
      } else if (attachment) deleteAttachmentRow(db, attachment.id);
      return result;
    });
  } catch (error) {
    if (file) await removeFiles(config.dataDir, file);
    throw error;
  }
  const { message, created } = stored;
  if (file && !created) await removeFiles(config.dataDir, file);
  if (created) cache.messagesChanged(room.id, message.createdAt);
  const html = messageHtml(message);
  if (created) {
    publisher.publish(roomTopic(room.id), messagesFrame(room.id, html));
    publisher.publish(activityTopic(room.id), activityFrame(room.id, user.id, message.mentions));
  }
  return { message, created, html: html.text };
}

/** Editing takes the same path as posting: text is formatted, the toolbar's HTML sanitized (`rich`). */
export function editMessage(
  { db, cache, publisher }: Deps,
  message: Message,
  input: { body: string; rich: boolean; origin?: string },
): { message: Message; html: string } | string {
  const prepared = prepareBody(db, message.roomId, input.body, input);
  if (typeof prepared === "string") return prepared;
  const edited = db.transaction(() => updateMessageBody(db, message, prepared))();
  cache.messagesChanged(message.roomId);
  const html = messageHtml(edited);
  publisher.publish(roomTopic(message.roomId), messagesFrame(message.roomId, html));
  return { message: edited, html: html.text };
}

export async function removeMessage({ db, cache, publisher, config }: Deps, message: Message): Promise<void> {
  const changeSeq = deleteMessage(db, message);
  cache.messagesChanged(message.roomId);
  publisher.publish(roomTopic(message.roomId), messageRemovedFrame(message.roomId, message.id, changeSeq));
  if (message.attachment) await removeFiles(config.dataDir, message.attachment);
}

/**
 * Boosting, step by step: check the content → store it, the message taking the room's next change
 * number → render the message once, boosts included → publish it to the room (the same fragment
 * replaces the message on every screen, and a tab that was away gets it when it catches up).
 */
export function boostMessage(deps: Deps, user: User, message: Message, input: string): { html: string; created: boolean } | string {
  const { db } = deps;
  const checked = boostContent(input);
  if (typeof checked === "string") return checked;
  const { created } = db.transaction(() => {
    const added = addBoost(db, message, user, checked.content);
    if (added.created) touchMessage(db, message);
    return added;
  })();
  return { html: republish(deps, message, created), created };
}

/** Removes one of the person's own boosts; null when the message has no such boost of theirs. */
export function unboostMessage(deps: Deps, user: User, message: Message, boostId: number): string | null {
  const { db } = deps;
  const removed = db.transaction(() => {
    if (!removeBoost(db, message, user, boostId)) return false;
    touchMessage(db, message);
    return true;
  })();
  return removed ? republish(deps, message, true) : null;
}

/** After a boost committed: tell the read cache when it changed the message, render once, publish. */
function republish({ db, cache, publisher }: Deps, message: Message, changed: boolean): string {
  if (changed) cache.messagesChanged(message.roomId);
  const html = messageHtml(findMessage(db, message.roomId, message.id)!);
  if (changed) publisher.publish(roomTopic(message.roomId), messagesFrame(message.roomId, html));
  return html.text;
}
