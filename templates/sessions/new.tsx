/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "../layout.tsx";
import { PasswordField, TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";
import { Logo } from "../shared/logo.tsx";

export const SignInForm: FC<{ emailAddress?: string; error?: string }> = ({ emailAddress, error }) => (
  <form class="form" method="post" action="/session" hx-post="/session" hx-target="this" hx-swap="outerHTML">
    <FormError message={error} />
    <TextField
      label="Email address"
      name="email_address"
      type="email"
      value={emailAddress}
      autocomplete="username"
      maxlength={254}
      required
      autofocus={!emailAddress}
    />
    <PasswordField label="Password" name="password" autocomplete="current-password" autofocus={!!emailAddress} />
    <button class="button button--primary form__submit" type="submit" name="log_in">
      Sign in
    </button>
  </form>
);

export const SignInPage: FC<{ accountName: string; helpEmail: string | null; emailAddress?: string; error?: string; notice?: string }> = ({
  accountName,
  helpEmail,
  notice,
  ...form
}) => (
  <Layout title={`Sign in · ${accountName}`} bodyClass="panel-page" notice={notice}>
    <main class="panel">
      <Logo />
      <h1 class="panel__title">{accountName}</h1>
      <SignInForm {...form} />
      {helpEmail ? (
        <p class="panel__fineprint">
          Trouble signing in? Ask your administrator at <a href={`mailto:${helpEmail}`}>{helpEmail}</a>.
        </p>
      ) : null}
    </main>
  </Layout>
);
