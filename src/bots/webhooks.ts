import type { Database } from "bun:sqlite";
import { join } from "node:path";
import { incomingDir } from "../http/body-limits.ts";
import type { AppContext } from "../http/env.ts";
import { ReceivedFile } from "../http/multipart.ts";
import { enqueueJob } from "../jobs/jobs.ts";
import { RetryableJobError, registerJobKind } from "../jobs/runner.ts";
import { shownBody } from "../messages/mentions.ts";
import { findMessage, type Message } from "../messages/messages.ts";
import { postMessage } from "../messages/receive.ts";
import { findRoom, type Room } from "../rooms/rooms.ts";
import { findUser } from "../users/users.ts";
import { findBot } from "./bots.ts";

export const WEBHOOK_JOB = "webhook";
/** The original's limit, for opening the connection and reading the answer together. */
export const WEBHOOK_TIMEOUT_MS = 7_000;
export const TIMEOUT_REPLY = "Failed to respond within 7 seconds";
// An answer becomes a message or a file: nothing larger than an upload is read.
const MAX_REPLY_BYTES = 100 * 1024 * 1024;

type WebhookJob = { bot_id: number; room_id: number; message_id: number };

/**
 * Inside the transaction that stores a message: a job for each bot that should hear of it (every
 * bot in a direct room, the bots mentioned elsewhere), never the author itself. Most messages are
 * in shared rooms and mention no bot, so they skip the query altogether.
 */
export function enqueueWebhooks(
  db: Database,
  room: Pick<Room, "id" | "kind">,
  message: Pick<Message, "id" | "creatorId">,
  mentionIds: number[],
): void {
  const direct = room.kind === "direct";
  if (!direct && mentionIds.length === 0) return;
  const bots = db
    .query<{ id: number }, [number, number, number, string]>(
      `SELECT users.id FROM memberships JOIN users ON users.id = memberships.user_id JOIN webhooks ON webhooks.user_id = users.id
       WHERE memberships.room_id = ? AND users.role = 'bot' AND users.status = 'active' AND users.id != ?
         AND (? OR users.id IN (SELECT value FROM json_each(?)))`,
    )
    .all(room.id, message.creatorId, direct ? 1 : 0, JSON.stringify(mentionIds));
  for (const bot of bots) enqueueJob(db, WEBHOOK_JOB, { bot_id: bot.id, room_id: room.id, message_id: message.id } satisfies WebhookJob);
}

/** The original's payload, so receivers written for it work unchanged. */
export function webhookPayload(db: Database, job: WebhookJob, botKey: string, botName: string) {
  const message = findMessage(db, job.room_id, job.message_id);
  const room = findRoom(db, job.room_id);
  if (!message || !room) return null; // deleted before it could be delivered: nothing to announce
  const author = findUser(db, message.creatorId);
  const plain = db.query<{ plain: string }, [number]>("SELECT body_plain AS plain FROM messages WHERE id = ?").get(message.id)!.plain;
  return {
    user: { id: message.creatorId, name: author?.name ?? message.creatorName },
    room: { id: room.id, name: room.name, path: `/rooms/${room.id}/${botKey}/messages` },
    message: {
      id: message.id,
      body: { html: shownBody(message), plain: withoutMention(plain, botName) },
      path: `/rooms/${room.id}/@${message.id}`,
    },
  };
}

const EXTENSIONS: Record<string, string> = { jpeg: "jpg", "svg+xml": "svg", plain: "txt", "octet-stream": "bin" };
/** A file name's extension for a media type: image/png → png. */
const extension = (mediaType: string): string => {
  const subtype = mediaType.split("/")[1] ?? "";
  return EXTENSIONS[subtype] ?? (subtype.replace(/[^a-z0-9]/g, "").slice(0, 10) || "bin");
};

/** The words addressed to the bot: "@Bot deploy now" → "deploy now". */
const withoutMention = (plain: string, botName: string): string =>
  plain.replaceAll(new RegExp(`@${botName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "giu"), "").replace(/^[\s\p{Zs}]+|[\s\p{Zs}]+$/gu, "");

export async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${Buffer.from(mac).toString("hex")}`;
}

/**
 * One delivery, step by step: build the payload (a message deleted meanwhile is not announced) →
 * sign it → POST it, 7 s for connecting and answering together, no redirects → turn the answer
 * into the bot's reply: text or HTML becomes a message, anything else a file, a timeout the
 * original's apology. A refused connection or a 5xx is retried by the runner. A re-run after a
 * crash posts its reply at most once: the reply's client_message_id is derived from the delivery.
 *
 * The URL is not checked against private networks, unlike link previews: only an administrator
 * sets it, and bots commonly live on the same machine or LAN (FEATURES §3: "the difference is who
 * picks the destination"). The form still only takes http(s) addresses.
 */
async function deliver(input: unknown, ctx: AppContext): Promise<void> {
  const job = input as WebhookJob;
  const bot = findBot(ctx.db, job.bot_id);
  if (!bot?.webhookUrl) return; // deactivated, or its webhook removed, since
  const payload = webhookPayload(ctx.db, job, bot.key, bot.name);
  if (!payload) return;
  const room = findRoom(ctx.db, job.room_id);
  if (!room) return;
  const body = JSON.stringify(payload);
  const deliveryId = `${job.message_id}-${job.bot_id}`;
  const timeout = AbortSignal.timeout(ctx.webhookTimeoutMs);
  let reply: { status: number; type: string | null; bytes: ArrayBuffer };
  try {
    const response = await fetch(bot.webhookUrl, {
      method: "POST",
      redirect: "manual",
      signal: timeout,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Campfire webhook",
        "X-Campfire-Signature": await signature(bot.webhookSecret ?? "", body),
        // The same for every attempt at this delivery: a receiver can drop repeats (delivery is at least once).
        "X-Campfire-Delivery": deliveryId,
      },
      body,
    });
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > MAX_REPLY_BYTES) throw new Error(`the answer was too large (${length} bytes)`);
    reply = { status: response.status, type: response.headers.get("content-type"), bytes: await response.arrayBuffer() };
  } catch (error) {
    if (timeout.aborted) return void (await postReply(ctx, bot.id, room, deliveryId, { body: TIMEOUT_REPLY }));
    if (error instanceof Error && error.message.startsWith("the answer")) throw error;
    throw new RetryableJobError(`could not reach ${bot.webhookUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (reply.status >= 500) throw new RetryableJobError(`${bot.webhookUrl} answered ${reply.status}`);
  if (reply.status < 200 || reply.status > 299) throw new Error(`${bot.webhookUrl} answered ${reply.status}`);
  if (!reply.type) return; // nothing to say
  const mediaType = reply.type.split(";")[0]!.trim().toLowerCase();
  const text = new TextDecoder().decode(reply.bytes);
  if (mediaType === "text/plain" || mediaType === "text/html") {
    if (text.trim() === "") return;
    await postReply(ctx, bot.id, room, deliveryId, { body: text, rich: mediaType === "text/html" });
  } else {
    // On disk under the uploads' temporary folder, as an upload would be, then moved into place.
    const file = new ReceivedFile(
      join(incomingDir(ctx.config.dataDir), `webhook-${crypto.randomUUID()}`),
      `attachment.${extension(mediaType)}`,
      mediaType,
      reply.bytes.byteLength,
    );
    await Bun.write(file.path, reply.bytes);
    try {
      await postReply(ctx, bot.id, room, deliveryId, { body: "", file });
    } finally {
      await file.discard();
    }
  }
}

async function postReply(
  ctx: AppContext,
  botId: number,
  room: Room,
  deliveryId: string,
  input: { body: string; rich?: boolean; file?: ReceivedFile },
) {
  const bot = findUser(ctx.db, botId);
  if (!bot) return;
  const posted = await postMessage(ctx, bot, room, { ...input, clientMessageId: `webhook-${deliveryId}`, webhookReply: true });
  if (typeof posted === "string") throw new Error(`the answer could not be posted: ${posted}`);
}

registerJobKind(WEBHOOK_JOB, { run: deliver, maxAttempts: 6, concurrency: 4 });
