/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "../layout.tsx";
import { PasswordField, TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";
import { Logo } from "../shared/logo.tsx";

type Values = Partial<Record<"account_name" | "name" | "email_address", string>>;

export const FirstRunForm: FC<{ values?: Values; error?: string }> = ({ values = {}, error }) => (
  <form class="form" method="post" action="/first_run" hx-post="/first_run" hx-target="this" hx-swap="outerHTML">
    <FormError message={error} />
    <TextField label="Name this Campfire" name="account_name" value={values.account_name} placeholder="Campfire" maxlength={100} />
    <TextField label="Your name" name="name" value={values.name} autocomplete="name" maxlength={100} required autofocus />
    <TextField
      label="Email address"
      name="email_address"
      type="email"
      value={values.email_address}
      autocomplete="username"
      maxlength={254}
      required
    />
    <PasswordField label="Choose a password" name="password" autocomplete="new-password" hint="At least 8 characters." />
    <button class="button button--primary form__submit" type="submit">
      Set up Campfire
    </button>
  </form>
);

export const FirstRunPage: FC<{ values?: Values; error?: string }> = (props) => (
  <Layout title="Set up Campfire" bodyClass="panel-page">
    <main class="panel">
      <Logo />
      <h1 class="panel__title">Welcome to Campfire</h1>
      <p class="panel__text">Create the administrator account. You can invite everyone else once you're in.</p>
      <FirstRunForm {...props} />
    </main>
  </Layout>
);
