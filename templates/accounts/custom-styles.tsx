/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Account } from "../../src/accounts/accounts.ts";
import { MAX_CUSTOM_STYLES_CHARS } from "../../src/accounts/custom-styles.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { FormError } from "../shared/flash.tsx";

/** Administrators' CSS for every page, served as a stylesheet (never inline: the CSP stays strict). */
export const CustomStylesPage: FC<{ user: User; account: Account; css?: string; error?: string }> = ({ user, account, css, error }) => (
  <Layout title="Custom CSS" bodyClass="panel-page" user={user}>
    <main class="panel account">
      <p class="account__back">
        <a href="/account">← Back to the account</a>
      </p>
      <h1 class="panel__title">Custom CSS</h1>
      <p class="account__text">
        These rules are added after Campfire's own on every page. Preview them first: nobody else sees them until you save.
      </p>
      <form class="form" method="post" action="/account/custom_styles">
        <FormError message={error} />
        <label class="field">
          <span class="field__label">CSS</span>
          <textarea
            class="field__input custom-styles__editor"
            name="custom_styles"
            rows={16}
            maxlength={MAX_CUSTOM_STYLES_CHARS}
            spellcheck={false}
          >
            {css ?? account.customStylesDraft ?? account.customStyles}
          </textarea>
        </label>
        <div class="custom-styles__actions">
          <button class="button" type="submit" name="intent" value="preview" formtarget="_blank">
            Preview
          </button>
          <button class="button button--primary" type="submit" name="intent" value="save">
            Save for everyone
          </button>
        </div>
      </form>
    </main>
  </Layout>
);

/** A sample of the chat drawn with the draft stylesheet instead of the published one. */
export const CustomStylesPreview: FC<{ user: User; account: Account }> = ({ user, account }) => (
  <Layout
    title="Preview · Custom CSS"
    bodyClass="panel-page custom-styles-preview"
    user={user}
    stylesheet="/account/custom_styles/draft.css"
  >
    <main class="panel account">
      <p class="account__back">
        <a href="/account/custom_styles">← Back to editing</a>
      </p>
      <h1 class="panel__title">Preview of {account.name}</h1>
      <p class="account__text">This page uses the CSS you are editing. Save it to show it to everyone.</p>
      <div class="messages">
        <article class="message" data-creator-id={user.id}>
          <Avatar user={user} />
          <div class="message__main">
            <header class="message__meta">
              <span class="message__author">{user.name}</span>
            </header>
            <div class="message__body">
              <p>
                This is how a message looks, with <a href="#top">a sample link</a> and a <span class="mention">@mention</span>.
              </p>
            </div>
          </div>
        </article>
      </div>
      <p>
        <button class="button button--primary" type="button">
          A button
        </button>{" "}
        <button class="button" type="button">
          Another
        </button>
      </p>
    </main>
  </Layout>
);
