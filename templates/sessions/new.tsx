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

export type DemoPerson = { id: number; name: string; role: string };

/** `campfire demo` only: sign in as anyone of the demo team with one click. */
const DemoSignIn: FC<{ people: DemoPerson[] }> = ({ people }) => (
  <section class="demo" aria-labelledby="demo-title">
    <h2 id="demo-title" class="demo__title">
      This is a demo
    </h2>
    <p class="demo__text">Everything here is made up and thrown away when the demo stops. Sign in as anyone of the team:</p>
    <ul class="demo__people">
      {people.map((person) => (
        <li>
          <form method="post" action="/demo/session">
            <input type="hidden" name="user_id" value={String(person.id)} />
            <button class="button demo__person" type="submit">
              Sign in as {person.name}
              {person.role === "admin" ? " (administrator)" : ""}
            </button>
          </form>
        </li>
      ))}
    </ul>
  </section>
);

export const SignInPage: FC<{
  accountName: string;
  helpEmail: string | null;
  emailAddress?: string;
  error?: string;
  notice?: string;
  demoPeople?: DemoPerson[];
}> = ({ accountName, helpEmail, notice, demoPeople, ...form }) => (
  <Layout title={`Sign in · ${accountName}`} bodyClass="panel-page" notice={notice}>
    <main class="panel">
      <Logo />
      <h1 class="panel__title">{accountName}</h1>
      {demoPeople ? <DemoSignIn people={demoPeople} /> : null}
      <SignInForm {...form} />
      {helpEmail ? (
        <p class="panel__fineprint">
          Trouble signing in? Ask your administrator at <a href={`mailto:${helpEmail}`}>{helpEmail}</a>.
        </p>
      ) : null}
    </main>
  </Layout>
);
