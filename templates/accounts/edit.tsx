/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Account } from "../../src/accounts/accounts.ts";
import { accountIconUrl } from "../../src/accounts/branding.ts";
import { isAdministrator, type User } from "../../src/users/users.ts";
import { inJsx } from "../html.ts";
import { Layout } from "../layout.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { CopyButton } from "../shared/copy-button.tsx";
import { TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";
import { qrCodeHtml } from "../shared/qr-code.ts";

export type SettingsValues = Partial<Record<"name" | "restrict_room_creation_to_administrators", string>>;

const isTicked = (value: string | undefined) => value === "on" || value === "true";

/** Administrators only: rename the account and decide who may create rooms. */
export const AccountSettingsForm: FC<{ account: Account; values?: SettingsValues; error?: string }> = ({ account, values, error }) => (
  <form class="form" method="post" action="/account" hx-patch="/account" hx-target="this" hx-swap="outerHTML">
    <FormError message={error} />
    <TextField label="Account name" name="name" value={values ? values.name : account.name} maxlength={100} required />
    <label class="field field--checkbox">
      <input
        type="checkbox"
        name="restrict_room_creation_to_administrators"
        checked={values ? isTicked(values.restrict_room_creation_to_administrators) : account.settings.restrictRoomCreationToAdministrators}
      />
      <span class="field__label">Only administrators can create rooms</span>
    </label>
    <button class="button button--primary" type="submit">
      Save settings
    </button>
  </form>
);

const JoinLink: FC<{ accountName: string; url: string }> = ({ accountName, url }) => (
  <section class="account__section" aria-labelledby="account_invite">
    <h2 id="account_invite" class="account__heading">
      Invite people
    </h2>
    <p class="account__text">Anyone with this link can join {accountName}.</p>
    <label class="visually-hidden" for="account_join_link">
      Join link
    </label>
    <div class="account__join">
      <input id="account_join_link" class="field__input account__join-link" type="url" value={url} readonly />
      <CopyButton target="account_join_link" />
    </div>
    <details class="account__qr">
      <summary>Show QR code</summary>
      <div class="qr">{inJsx(qrCodeHtml(url, "QR code of the join link"))}</div>
    </details>
    <form
      class="account__regenerate"
      method="post"
      action="/account/join_code"
      hx-post="/account/join_code"
      hx-confirm="Make a new join link? The current link stops working at once, for everyone you sent it to."
    >
      <button class="button" type="submit">
        Regenerate link
      </button>
      <span class="account__hint">The current link stops working at once.</span>
    </form>
  </section>
);

// Email addresses and statuses are for administrators only; everyone may see who is here.
const People: FC<{ people: User[]; admin: boolean }> = ({ people, admin }) => (
  <section class="account__section" aria-labelledby="account_people">
    <h2 id="account_people" class="account__heading">
      People
    </h2>
    <ul class="account__people">
      {people.map((person) => (
        <li class="account__person" id={`person_${person.id}`}>
          <Avatar user={person} />
          <a class="account__person-name" href={`/users/${person.id}`}>
            {person.name}
          </a>
          {admin && person.emailAddress ? <span class="account__person-email">{person.emailAddress}</span> : null}
          {isAdministrator(person) ? <span class="account__role">Administrator</span> : null}
          {admin && person.status !== "active" ? (
            <span class="account__role account__role--status">{person.status === "banned" ? "Banned" : "Deactivated"}</span>
          ) : null}
        </li>
      ))}
    </ul>
  </section>
);

/** The account's logo: favicon, app icon and notification icon. Administrators change it; members see it. */
const Logo: FC<{ account: Account; admin: boolean; error?: string }> = ({ account, admin, error }) => (
  <section class="account__section" aria-labelledby="account_logo">
    <h2 id="account_logo" class="account__heading">
      Logo
    </h2>
    <img class="account__logo" src={accountIconUrl(192)} width="96" height="96" alt={`${account.name} logo`} />
    {admin ? (
      <>
        <form class="form" method="post" action="/account/logo" enctype="multipart/form-data">
          <FormError message={error} />
          <label class="field">
            <span class="field__label">A square JPEG, PNG or WebP image, at least 512 pixels wide</span>
            <input type="file" name="logo" accept="image/jpeg,image/png,image/webp" required />
          </label>
          <button class="button" type="submit">
            Upload logo
          </button>
        </form>
        {account.logoKey ? (
          <form method="post" action="/account/logo/removal">
            <button class="button button--quiet" type="submit">
              Remove logo
            </button>
          </form>
        ) : null}
      </>
    ) : null}
  </section>
);

type AccountPageProps = {
  user: User;
  account: Account;
  people: User[];
  joinUrl: string | null;
  values?: SettingsValues;
  error?: string;
  logoError?: string;
  notice?: string;
};

export const AccountPage: FC<AccountPageProps> = ({ user, account, people, joinUrl, values, error, logoError, notice }) => {
  const admin = isAdministrator(user);
  return (
    <Layout title={`Account · ${account.name}`} bodyClass="panel-page" user={user} notice={notice}>
      <main class="panel account">
        <p class="account__back">
          <a href="/">← Back to chat</a>
        </p>
        <h1 class="panel__title">{account.name}</h1>
        {admin && joinUrl ? <JoinLink accountName={account.name} url={joinUrl} /> : null}
        {admin ? (
          <section class="account__section" aria-labelledby="account_settings">
            <h2 id="account_settings" class="account__heading">
              Settings
            </h2>
            <AccountSettingsForm account={account} values={values} error={error} />
            <p class="account__links">
              <a href="/account/custom_styles">Custom CSS</a> · <a href="/account/audit">Audit log</a> · <a href="/account/bots">Bots</a>
            </p>
          </section>
        ) : null}
        <Logo account={account} admin={admin} error={logoError} />
        <People people={people} admin={admin} />
      </main>
    </Layout>
  );
};
