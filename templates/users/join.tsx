/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "../layout.tsx";
import { PasswordField, TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";
import { Logo } from "../shared/logo.tsx";

type Values = Partial<Record<"name" | "email_address", string>>;

export const JoinForm: FC<{ joinCode: string; values?: Values; error?: string }> = ({ joinCode, values = {}, error }) => (
  <form class="form" method="post" action={`/join/${joinCode}`} hx-post={`/join/${joinCode}`} hx-target="this" hx-swap="outerHTML">
    <FormError message={error} />
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
      Join
    </button>
  </form>
);

export const JoinPage: FC<{ accountName: string; joinCode: string; values?: Values; error?: string }> = ({ accountName, ...form }) => (
  <Layout title={`Join ${accountName}`} bodyClass="panel-page">
    <main class="panel">
      <Logo />
      <h1 class="panel__title">Join {accountName}</h1>
      <p class="panel__text">Tell us who you are and choose a password.</p>
      <JoinForm {...form} />
      <p class="panel__fineprint">
        Already have an account? <a href="/session/new">Sign in</a>
      </p>
    </main>
  </Layout>
);
