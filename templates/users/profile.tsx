/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { FormError } from "../shared/flash.tsx";

/** A person's own page: for now only their picture (the people issue adds name, bio and more). */
export const ProfilePage: FC<{ user: User; error?: string }> = ({ user, error }) => (
  <Layout title="Your profile" bodyClass="panel-page" user={user}>
    <main class="panel account">
      <p class="account__back">
        <a href="/">← Back to chat</a>
      </p>
      <h1 class="panel__title">Your profile</h1>
      <section class="account__section profile__avatar" aria-labelledby="profile_avatar">
        <h2 id="profile_avatar" class="account__heading">
          Picture
        </h2>
        <Avatar user={user} />
        <form class="form" method="post" action="/profile/avatar" enctype="multipart/form-data">
          <FormError message={error} />
          <label class="field">
            <span class="field__label">Choose a JPEG, PNG, WebP or GIF image</span>
            <input type="file" name="avatar" accept="image/jpeg,image/png,image/webp,image/gif" required />
          </label>
          <button class="button button--primary" type="submit">
            Upload picture
          </button>
        </form>
        {user.avatarKey ? (
          <form class="form" method="post" action="/profile/avatar/removal">
            <button class="button button--quiet" type="submit">
              Remove picture
            </button>
          </form>
        ) : null}
      </section>
    </main>
  </Layout>
);
