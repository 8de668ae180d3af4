/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { AuditEntry } from "../../src/audit/audit-log.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { LocalTime } from "../shared/time.tsx";

const ACTIONS: Record<string, string> = {
  role_changed: "changed the role of",
  person_deactivated: "deactivated",
  person_banned: "banned",
  person_unbanned: "lifted the ban on",
  join_link_regenerated: "made a new join link",
  transfer_link_made: "made a sign-in link for",
  account_updated: "changed the account settings",
  logo_changed: "changed the logo",
  logo_removed: "removed the logo",
  custom_styles_changed: "changed the custom CSS",
  bot_created: "made the bot",
  bot_updated: "changed the bot",
  bot_key_renewed: "made a new key for the bot",
  bot_deactivated: "deactivated the bot",
};

const detailsText = (details: Record<string, unknown>): string =>
  Object.entries(details)
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join("; ");

/** Who did what to whom, when, from where: read-only, newest first. */
export const AuditLogPage: FC<{ user: User; entries: AuditEntry[]; more: boolean }> = ({ user, entries, more }) => (
  <Layout title="Audit log" bodyClass="panel-page" user={user}>
    <main class="panel account audit">
      <p class="account__back">
        <a href="/account">← Back to the account</a>
      </p>
      <h1 class="panel__title">Audit log</h1>
      <p class="account__text">Every administrator action, as it happened. Nobody can change or delete these lines.</p>
      <div class="audit__scroll">
        <table class="audit__table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Whom</th>
              <th scope="col">Details</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr class="audit__entry" data-action={entry.action}>
                <td>
                  <LocalTime at={entry.createdAt} format="datetime" />
                </td>
                <td>{entry.actorName}</td>
                <td>{ACTIONS[entry.action] ?? entry.action.replaceAll("_", " ")}</td>
                <td>{entry.subjectName ?? ""}</td>
                <td>{detailsText(entry.details)}</td>
                <td>{entry.ipAddress ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more ? <a href={`/account/audit?before=${entries.at(-1)!.id}`}>Older entries</a> : null}
    </main>
  </Layout>
);
