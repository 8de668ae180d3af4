/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Bot } from "../../src/bots/bots.ts";
import type { FailedJob } from "../../src/jobs/jobs.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { CopyButton } from "../shared/copy-button.tsx";
import { TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";

export type BotValues = Partial<Record<"name" | "webhook_url", string>>;

/** Name, picture and webhook: the same fields to create a bot and to edit one. */
const BotFields: FC<{ values: BotValues }> = ({ values }) => (
  <>
    <TextField label="Name" name="name" value={values.name} maxlength={100} required />
    <label class="field">
      <span class="field__label">Picture (optional)</span>
      <input class="field__input" type="file" name="avatar" accept="image/jpeg,image/png,image/webp,image/gif" />
    </label>
    <TextField
      label="Webhook URL (optional)"
      name="webhook_url"
      type="url"
      value={values.webhook_url}
      placeholder="https://bots.example.com/campfire"
    />
    <p class="account__hint">
      Campfire POSTs to it when someone @mentions the bot or writes to it directly; what it answers is posted back as the bot.
    </p>
  </>
);

const Back: FC<{ href: string; label: string }> = ({ href, label }) => (
  <p class="account__back">
    <a href={href}>← {label}</a>
  </p>
);

export const BotsPage: FC<{ user: User; bots: Bot[]; values?: BotValues; error?: string }> = ({ user, bots, values = {}, error }) => (
  <Layout title="Bots" bodyClass="panel-page" user={user}>
    <main class="panel account">
      <Back href="/account" label="Account" />
      <h1 class="panel__title">Bots</h1>
      <section class="account__section" aria-labelledby="bots_list">
        <h2 id="bots_list" class="account__heading">
          Your bots
        </h2>
        {bots.length === 0 ? <p class="account__text">No bots yet.</p> : null}
        <ul class="account__people">
          {bots.map((bot) => (
            <li class="account__person">
              <Avatar user={bot} />
              <a class="account__person-name" href={`/account/bots/${bot.id}/edit`}>
                {bot.name}
              </a>
              {bot.webhookUrl ? <span class="account__role">Webhook</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section class="account__section" aria-labelledby="bots_new">
        <h2 id="bots_new" class="account__heading">
          Make a bot
        </h2>
        <form class="form" method="post" action="/account/bots" enctype="multipart/form-data">
          <FormError message={error} />
          <BotFields values={values} />
          <button class="button button--primary" type="submit">
            Make bot
          </button>
        </form>
      </section>
    </main>
  </Layout>
);

type Room = { id: number; kind: string; name: string | null };

/** The lines a person pastes into a terminal, exactly as they are shown. */
export const curlLines = (origin: string, bot: Pick<Bot, "key">, roomId: number) => {
  const url = `${origin}/rooms/${roomId}/${bot.key}/messages`;
  return { text: `curl -d 'Hello!' ${url}`, file: `curl -F "attachment=@/path/to/file" ${url}` };
};

const CopyLine: FC<{ id: string; label: string; line: string }> = ({ id, label, line }) => (
  <div class="account__join">
    <label class="visually-hidden" for={id}>
      {label}
    </label>
    <input id={id} class="field__input account__join-link" type="text" value={line} readonly />
    <CopyButton target={id} label="Copy" />
  </div>
);

type EditProps = {
  user: User;
  bot: Bot;
  origin: string;
  rooms: Room[];
  failures: FailedJob[];
  values?: BotValues;
  error?: string;
};

export const BotEditPage: FC<EditProps> = ({ user, bot, origin, rooms, failures, values, error }) => (
  <Layout title={`${bot.name} · Bots`} bodyClass="panel-page" user={user}>
    <main class="panel account">
      <Back href="/account/bots" label="Bots" />
      <h1 class="panel__title">
        <Avatar user={bot} /> {bot.name}
      </h1>
      <section class="account__section" aria-labelledby="bot_lines">
        <h2 id="bot_lines" class="account__heading">
          Post as {bot.name}
        </h2>
        <p class="account__text">Paste a line into a terminal. The key in it is the bot's password: keep it out of public places.</p>
        {rooms.map((room) => {
          const lines = curlLines(origin, bot, room.id);
          return (
            <div class="account__room-lines">
              <h3 class="account__subheading">{room.name ?? "Direct messages"}</h3>
              <CopyLine id={`bot_text_${room.id}`} label={`Post text to ${room.name ?? "a direct room"}`} line={lines.text} />
              <CopyLine id={`bot_file_${room.id}`} label={`Post a file to ${room.name ?? "a direct room"}`} line={lines.file} />
            </div>
          );
        })}
        <form
          class="account__regenerate"
          method="post"
          action={`/account/bots/${bot.id}/key`}
          hx-post={`/account/bots/${bot.id}/key`}
          hx-confirm="Make a new key? Every script using the current one stops working at once."
        >
          <button class="button" type="submit">
            New key
          </button>
          <span class="account__hint">The current key (and webhook secret) stop working at once.</span>
        </form>
      </section>
      {bot.webhookUrl ? (
        <section class="account__section" aria-labelledby="bot_webhook">
          <h2 id="bot_webhook" class="account__heading">
            Webhook
          </h2>
          <p class="account__text">
            Each call carries <code>X-Campfire-Signature: sha256=…</code>, the HMAC-SHA256 of the body with this secret, so the receiver can
            check it came from here.
          </p>
          <CopyLine id="bot_webhook_secret" label="Webhook secret" line={bot.webhookSecret ?? ""} />
          <h3 class="account__subheading">Failed deliveries</h3>
          {failures.length === 0 ? (
            <p class="account__text" id="bot_failures">
              None.
            </p>
          ) : (
            <ul class="account__failures" id="bot_failures">
              {failures.map((failure) => {
                const payload = failure.payload as { room_id: number; message_id: number };
                return (
                  <li>
                    <time datetime={new Date(failure.failedAt).toISOString()}>
                      {new Date(failure.failedAt).toISOString().replace("T", " ").slice(0, 16)} UTC
                    </time>{" "}
                    <a href={`/rooms/${payload.room_id}/@${payload.message_id}`}>message {payload.message_id}</a>: {failure.lastError} (
                    {failure.attempts} {failure.attempts === 1 ? "try" : "tries"})
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}
      <section class="account__section" aria-labelledby="bot_edit">
        <h2 id="bot_edit" class="account__heading">
          Settings
        </h2>
        <form class="form" method="post" action={`/account/bots/${bot.id}`} enctype="multipart/form-data">
          <FormError message={error} />
          <BotFields values={values ?? { name: bot.name, webhook_url: bot.webhookUrl ?? "" }} />
          <button class="button button--primary" type="submit">
            Save
          </button>
        </form>
      </section>
      <section class="account__section" aria-labelledby="bot_deactivate">
        <h2 id="bot_deactivate" class="account__heading">
          Deactivate
        </h2>
        <form
          method="post"
          action={`/account/bots/${bot.id}/deactivate`}
          hx-delete={`/account/bots/${bot.id}`}
          hx-confirm={`Deactivate ${bot.name}? Its key stops working and it leaves every room.`}
        >
          <button class="button button--danger" type="submit">
            Deactivate {bot.name}
          </button>
        </form>
      </section>
    </main>
  </Layout>
);
