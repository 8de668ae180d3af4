/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { User } from "../../src/users/users.ts";
import { inJsx } from "../html.ts";
import { Layout } from "../layout.tsx";
import { CopyButton } from "../shared/copy-button.tsx";
import { qrCodeHtml } from "../shared/qr-code.ts";

/** The link (and QR code) that signs `person` in once on another device; shown only to whoever made it. */
export const TransferPage: FC<{ user: User; person: User; url: string }> = ({ user, person, url }) => {
  const own = user.id === person.id;
  return (
    <Layout title="Log in on another device" bodyClass="panel-page" user={user}>
      <main class="panel account transfer">
        <p class="account__back">
          <a href={own ? "/users/me/profile" : `/users/${person.id}`}>← Back</a>
        </p>
        <h1 class="panel__title">{own ? "Log in on another device" : `A sign-in link for ${person.name}`}</h1>
        <p class="account__text">
          {own
            ? "Open this link on your other device, or scan the code with its camera."
            : `Send this to ${person.name} (not by a channel others can read): it signs them in without their password.`}{" "}
          It works once, within 4 hours.
        </p>
        <label class="visually-hidden" for="transfer_link">
          Sign-in link
        </label>
        <div class="account__join">
          <input id="transfer_link" class="field__input account__join-link" type="url" value={url} readonly />
          <CopyButton target="transfer_link" />
        </div>
        <div class="qr">{inJsx(qrCodeHtml(url, "QR code of the sign-in link"))}</div>
      </main>
    </Layout>
  );
};

/** What a transfer link opens: a button, so link previewers and mail scanners can't use it up by fetching it. */
export const TransferLanding: FC<{ accountName: string; token: string; usable: boolean }> = ({ accountName, token, usable }) => (
  <Layout title={`Sign in to ${accountName}`} bodyClass="panel-page">
    <main class="panel">
      <h1 class="panel__title">Sign in to {accountName}</h1>
      {usable ? (
        <form method="post" action={`/session/transfers/${token}`}>
          <p class="account__text">This link signs you in on this device.</p>
          <button class="button button--primary" type="submit">
            Sign in here
          </button>
        </form>
      ) : (
        <p class="account__text">
          This link has expired or was used already. Make a new one from your profile, or <a href="/session/new">sign in</a>.
        </p>
      )}
    </main>
  </Layout>
);
