import { zValidator } from "@hono/zod-validator";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { avatarUrl } from "../../templates/shared/avatar-look.ts";
import { now } from "../db/time.ts";
import { receiveUpload } from "../http/body-limits.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, orNotFound } from "../http/errors.tsx";
import type { ReceivedFile } from "../http/multipart.ts";
import { ownOrigin } from "../http/request.ts";
import { positionId, positiveId } from "../http/validate.tsx";
import { findMessage, type Message } from "../messages/messages.ts";
import { latestMessages, messagesAfter, messagesBefore } from "../messages/pages.ts";
import { boostMessage, editMessage, postMessage, removeMessage, unboostMessage } from "../messages/receive.ts";
import { MAX_BODY_CHARS } from "../realtime/protocol.ts";
import { findRoomFor, type Room } from "../rooms/rooms.ts";
import { AttemptWindow } from "../sessions/throttle.ts";
import type { User } from "../users/users.ts";
import { BOT_KEY_PATTERN, findBotByKey } from "./bots.ts";

type BotEnv = AppEnv & { Variables: AppEnv["Variables"] & { bot: User; room: Room } };

// A chatty bot posts a few times a second at most; a runaway loop is stopped here instead of
// filling every screen in the room. 100 in any 10 s window allows bursts (a deploy log) and
// refuses a flood with 429 and the seconds to wait.
const POSTS_PER_WINDOW = 100;
const POST_WINDOW_MS = 10_000;
const PAGE = 40;

const keyParams = z.object({ room_id: positiveId, bot_key: z.string() });
const messageParams = keyParams.extend({ id: positiveId });
const boostParams = keyParams.extend({ message_id: positiveId, id: positiveId.optional() });
const pageQuery = z.object({ before: positiveId.optional(), after: positionId.optional() });

const jsonError = (status: 401 | 403 | 404 | 413 | 422 | 429, message: string) => new HttpError(status, message);
const notFoundJson = (result: { success: boolean }, c: Context) =>
  result.success ? undefined : c.json({ error: "We couldn't find that message." }, 404);

const BASE = `/rooms/:room_id/:bot_key{${BOT_KEY_PATTERN}}/messages`;

/** The bot API (CONTRACT.md "Bot API"): the key in the path is the only credential; cookies are never read. */
export function botApiRoutes(ctx: AppContext) {
  const { db } = ctx;
  const posts = new AttemptWindow(POSTS_PER_WINDOW, POST_WINDOW_MS);

  /** The bot the key belongs to (else 401) and the room, if the bot is in it (else 404). */
  const authenticateBot: MiddlewareHandler<BotEnv> = async (c, next) => {
    const { room_id, bot_key } = c.req.param() as { room_id: string; bot_key: string };
    const bot = findBotByKey(db, decodeURIComponent(bot_key));
    if (!bot) throw jsonError(401, "That bot key is not valid: copy the line again from the bot's page.");
    const roomId = positiveId.safeParse(room_id);
    c.set("bot", bot);
    c.set("room", orNotFound(roomId.success ? findRoomFor(ctx, bot, roomId.data) : null));
    await next();
  };

  /** Counted before a file is read, so a flood is refused before it costs a write. */
  const limitPosts: MiddlewareHandler<BotEnv> = async (c, next) => {
    const key = String(c.get("bot").id);
    const at = now();
    const waitMs = posts.waitMs(key, at);
    if (waitMs > 0) {
      c.header("Retry-After", String(Math.max(1, Math.ceil(waitMs / 1000))));
      throw jsonError(429, "This bot is posting too fast; wait a moment.");
    }
    posts.record(key, at);
    await next();
  };

  const origin = (c: Context<BotEnv>) => ownOrigin(c as unknown as Context<AppEnv>, ctx.config);
  const ownMessage = (c: Context<BotEnv>, id: number): Message => {
    const message = orNotFound(findMessage(db, c.get("room").id, id));
    if (message.creatorId !== c.get("bot").id) throw jsonError(403, "A bot can only change its own messages.");
    return message;
  };

  /** Messages in the original's JSON shape, with their authors and plain text read in one query each. */
  function messagesJson(c: Context<BotEnv>, messages: Message[]) {
    const ids = JSON.stringify(messages.map((m) => m.id));
    const plain = new Map(
      db
        .query<{ id: number; plain: string }, [string]>(
          "SELECT id, body_plain AS plain FROM messages WHERE id IN (SELECT value FROM json_each(?))",
        )
        .all(ids)
        .map((row) => [row.id, row.plain]),
    );
    const creators = new Map(
      db
        .query<{ id: number; name: string; role: string; avatarKey: string | null }, [string]>(
          "SELECT id, name, role, avatar_key AS avatarKey FROM users WHERE id IN (SELECT value FROM json_each(?))",
        )
        .all(JSON.stringify(messages.map((m) => m.creatorId)))
        .map((row) => [row.id, row]),
    );
    const base = origin(c);
    return messages.map((m) => {
      const creator = creators.get(m.creatorId)!;
      return {
        id: m.id,
        created_at: new Date(m.createdAt).toISOString(),
        body: { plain_text: plain.get(m.id) ?? "", html: m.bodyHtml },
        creator: { id: creator.id, name: creator.name, role: creator.role, avatar_url: base + avatarUrl(creator.id, creator.avatarKey) },
        room: { id: m.roomId },
        url: `${base}/rooms/${m.roomId}/messages/${m.id}`,
      };
    });
  }

  async function rawBody(c: Context<BotEnv>): Promise<string> {
    const text = await c.req.text();
    if (text.length > MAX_BODY_CHARS)
      throw jsonError(
        413,
        `A message can be at most ${MAX_BODY_CHARS.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")}).`,
      );
    return text;
  }

  return new Hono<BotEnv>()
    .use(`${BASE}`, authenticateBot)
    .use(`${BASE}/*`, authenticateBot)
    .get(
      BASE,
      zValidator("query", pageQuery, (result, c) =>
        result.success ? undefined : c.json({ error: "before and after must be message ids." }, 422),
      ),
      (c) => {
        const room = c.get("room");
        const { before, after } = c.req.valid("query");
        const messages =
          after !== undefined
            ? messagesAfter(db, room.id, after, PAGE)
            : before !== undefined
              ? messagesBefore(db, room.id, before, PAGE)
              : latestMessages(db, room.id, PAGE);
        const total = db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM messages WHERE room_id = ?").get(room.id)!.n;
        c.header("X-Total-Count", String(total));
        const self = `${origin(c)}/rooms/${room.id}/${c.req.param("bot_key")}/messages`;
        const next = nextPage(db, room.id, messages, after !== undefined);
        if (next) c.header("Link", `<${self}?${next}>; rel="next"`);
        return c.json(messagesJson(c, messages));
      },
    )
    .post(BASE, limitPosts, receiveUpload(ctx.config, "attachment"), async (c) => {
      const bot = c.get("bot");
      const input = await botMessageInput(c, rawBody);
      const posted = await postMessage(ctx, bot, c.get("room"), { ...input, clientMessageId: crypto.randomUUID() });
      if (typeof posted === "string") throw jsonError(422, posted);
      c.header("Location", `${origin(c)}/rooms/${posted.message.roomId}/messages/${posted.message.id}`);
      return c.body(null, 201);
    })
    .on(["PUT", "PATCH"], `${BASE}/:id`, zValidator("param", messageParams, notFoundJson), async (c) => {
      const message = ownMessage(c, c.req.valid("param").id);
      const edited = editMessage(ctx, message, { body: await rawBody(c), rich: false, origin: origin(c) });
      if (typeof edited === "string") throw jsonError(422, edited);
      return c.json(messagesJson(c, [edited.message])[0]);
    })
    .delete(`${BASE}/:id`, zValidator("param", messageParams, notFoundJson), async (c) => {
      await removeMessage(ctx, ownMessage(c, c.req.valid("param").id));
      return c.body(null, 204);
    })
    .post(`${BASE}/:message_id/boosts`, zValidator("param", boostParams, notFoundJson), async (c) => {
      const bot = c.get("bot");
      const message = orNotFound(findMessage(db, c.get("room").id, c.req.valid("param").message_id));
      const boosted = boostMessage(ctx, bot, message, (await c.req.text()).trim());
      if (typeof boosted === "string") throw jsonError(422, boosted);
      const boost = db
        .query<{ id: number; content: string; createdAt: number }, [number, number]>(
          "SELECT id, content, created_at AS createdAt FROM boosts WHERE message_id = ? AND booster_id = ? ORDER BY id DESC LIMIT 1",
        )
        .get(message.id, bot.id)!;
      const base = origin(c);
      return c.json(
        {
          id: boost.id,
          content: boost.content,
          created_at: new Date(boost.createdAt).toISOString(),
          booster: { id: bot.id, name: bot.name, role: bot.role, avatar_url: base + avatarUrl(bot.id, bot.avatarKey) },
          message: { id: message.id, url: `${base}/rooms/${message.roomId}/messages/${message.id}` },
        },
        boosted.created ? 201 : 200,
      );
    })
    .delete(`${BASE}/:message_id/boosts/:id`, zValidator("param", boostParams, notFoundJson), (c) => {
      const { message_id, id } = c.req.valid("param");
      const message = orNotFound(findMessage(db, c.get("room").id, message_id));
      if (unboostMessage(ctx, c.get("bot"), message, id!) === null) throw jsonError(404, "That bot has no such boost on that message.");
      return c.body(null, 204);
    });
}

/** The query string of the next page in the direction being read, when there is one. */
function nextPage(db: AppContext["db"], roomId: number, messages: Message[], forward: boolean): string | null {
  if (messages.length === 0) return null;
  const edge = forward ? messages.at(-1)!.id : messages[0]!.id;
  const more = db
    .query<{ id: number }, [number, number]>(`SELECT id FROM messages WHERE room_id = ? AND id ${forward ? ">" : "<"} ? LIMIT 1`)
    .get(roomId, edge);
  return more ? `${forward ? "after" : "before"}=${edge}` : null;
}

/**
 * What a bot sent: a multipart `attachment` (a file, streamed to disk by receiveUpload, with an
 * optional `body` caption), or else the raw body as text, whatever its content type says (`curl -d`
 * sends a form type for plain words). Only `text/html` is read as HTML, through the sanitizer.
 */
async function botMessageInput(
  c: Context<BotEnv>,
  rawBody: (c: Context<BotEnv>) => Promise<string>,
): Promise<{ body: string; rich?: boolean; file?: ReceivedFile }> {
  const type = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data\b/i.test(type)) {
    const file = c.get("upload");
    if (!file) throw jsonError(422, 'Send the file as the multipart field `attachment` (curl -F "attachment=@file").');
    const caption = c.req.bodyCache.formData?.get("body");
    return { body: typeof caption === "string" ? caption : "", file };
  }
  return { body: await rawBody(c), rich: type.startsWith("text/html") };
}
