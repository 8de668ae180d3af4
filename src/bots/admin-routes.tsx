/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { BotEditPage, BotsPage, type BotValues } from "../../templates/bots/bots.tsx";
import { recordAdminAction } from "../audit/audit-log.ts";
import { actorOf, currentUser, requireAdmin } from "../http/authenticate.ts";
import { receiveUpload } from "../http/body-limits.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { ownOrigin, redirectTo } from "../http/request.ts";
import { idParam, validForm } from "../http/validate.tsx";
import { failedJobs } from "../jobs/jobs.ts";
import { setAvatar } from "../users/avatars.ts";
import { personName } from "../users/fields.ts";
import { activeBots, type Bot, botRooms, createBot, deactivateBot, findBot, renewBotKey, updateBot } from "./bots.ts";
import { WEBHOOK_JOB } from "./webhooks.ts";

// Empty (or missing) means no webhook, as in the original; anything else must be an http(s) address.
const webhookUrl = z
  .string()
  .trim()
  .max(2000, "That webhook URL is too long.")
  .optional()
  .transform((value) => value || null)
  .pipe(z.url({ protocol: /^https?$/, error: "The webhook URL must be an http:// or https:// address." }).nullable());
// The picture arrives through receiveUpload (c.get("upload")), not as a form field.
const botForm = z.object({ name: personName, webhook_url: webhookUrl });

/** /account/bots (CONTRACT.md "Bots: administration"): administrators make, edit, re-key and deactivate bots. */
export function botAdminRoutes(ctx: AppContext) {
  const { db } = ctx;
  const botOf = (id: number): Bot => orNotFound(findBot(db, id));

  const renderList = (c: Context<AppEnv>, status: 200 | 422, values?: BotValues, error?: string) =>
    c.html(<BotsPage user={currentUser(c)} bots={activeBots(db)} values={values} error={error} />, status);
  const renderEdit = (c: Context<AppEnv>, found: Bot, status: 200 | 422, values?: BotValues, error?: string) =>
    c.html(
      <BotEditPage
        user={currentUser(c)}
        bot={found}
        origin={ownOrigin(c, ctx.config)}
        rooms={botRooms(db, found.id)}
        failures={failedJobs(db, WEBHOOK_JOB, "bot_id", found.id)}
        values={values}
        error={error}
      />,
      status,
    );

  /** A picture that can't be read is refused with the reason; the rest of the form is already saved. */
  async function savePicture(c: Context<AppEnv>, saved: Bot): Promise<Response | null> {
    const file = c.get("upload");
    // A form sent without choosing a picture still carries an empty file part.
    if (!file || file.size === 0) return null;
    const changed = await setAvatar(ctx, saved, file);
    return typeof changed === "string" ? renderEdit(c, botOf(saved.id), 422, undefined, changed) : null;
  }

  /** Runs a change to a bot and its line in the audit log in one transaction. */
  const audited = <T,>(c: Context<AppEnv>, action: string, change: () => T, subjectId?: (result: T) => number): T =>
    db.transaction(() => {
      const result = change();
      const actor = actorOf(c);
      recordAdminAction(db, { actorId: actor.user.id, action, subjectId: subjectId ? subjectId(result) : null, ip: actor.ip });
      return result;
    })();

  const save = async (c: Context<AppEnv>, id: number, form: z.infer<typeof botForm>) => {
    botOf(id);
    const saved = audited(
      c,
      "bot_updated",
      () => updateBot(db, id, { name: form.name, webhookUrl: form.webhook_url }),
      () => id,
    );
    ctx.cache.personChanged(id);
    return (await savePicture(c, saved)) ?? redirectTo(c, `/account/bots/${id}/edit`);
  };

  const deactivate = (c: Context<AppEnv>, id: number) => {
    botOf(id);
    const left = audited(
      c,
      "bot_deactivated",
      () => deactivateBot(db, id),
      () => id,
    );
    ctx.cache.personChanged(id);
    for (const roomId of left) ctx.cache.roomChanged(roomId);
    return redirectTo(c, "/account/bots");
  };

  return (
    new Hono<AppEnv>()
      .get("/account/bots", requireAdmin, (c) => renderList(c, 200))
      .post(
        "/account/bots",
        requireAdmin,
        receiveUpload(ctx.config, "avatar"),
        validForm(botForm, (c, values, error) => renderList(c, 422, values, error)),
        async (c) => {
          const form = c.req.valid("form");
          const made = audited(
            c,
            "bot_created",
            () => createBot(db, { name: form.name, webhookUrl: form.webhook_url }),
            (bot) => bot.id,
          );
          return (await savePicture(c, made)) ?? redirectTo(c, `/account/bots/${made.id}/edit`);
        },
      )
      .get("/account/bots/:id/edit", requireAdmin, idParam, (c) => renderEdit(c, botOf(c.req.valid("param").id), 200))
      // PATCH from scripts; a form without JavaScript can only POST, so that lands in the same place.
      .on(
        ["PATCH", "POST"],
        "/account/bots/:id",
        requireAdmin,
        idParam,
        receiveUpload(ctx.config, "avatar"),
        validForm(botForm, (c, values, error) => renderEdit(c, botOf(Number(c.req.param("id"))), 422, values, error)),
        (c) => save(c, c.req.valid("param").id, c.req.valid("form")),
      )
      .post("/account/bots/:id/key", requireAdmin, idParam, (c) => {
        const { id } = c.req.valid("param");
        botOf(id);
        audited(
          c,
          "bot_key_renewed",
          () => renewBotKey(db, id),
          () => id,
        );
        return redirectTo(c, `/account/bots/${id}/edit`);
      })
      .delete("/account/bots/:id", requireAdmin, idParam, (c) => deactivate(c, c.req.valid("param").id))
      .post("/account/bots/:id/deactivate", requireAdmin, idParam, (c) => deactivate(c, c.req.valid("param").id))
  );
}
