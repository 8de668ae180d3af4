/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Involvement } from "../../src/rooms/memberships.ts";
import type { Room } from "../../src/rooms/rooms.ts";
import type { SessionListing } from "../../src/sessions/sessions.ts";
import { MAX_BIO_CHARS } from "../../src/users/profiles.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { InvolvementControl } from "../rooms/involvement.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { PasswordField, TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";
import { LocalTime } from "../shared/time.tsx";
import { SoundsToggle } from "./sounds-toggle.tsx";

export type ProfileValues = Partial<Record<"name" | "bio" | "email_address", string>>;
export type MyRoom = { room: Room; name: string; involvement: Involvement };

export type ProfilePageProps = {
  user: User;
  sessions: SessionListing[];
  currentSessionId: number;
  rooms: MyRoom[];
  values?: ProfileValues;
  error?: string;
  passwordError?: string;
  avatarError?: string;
  notice?: string;
};

// First match wins: Edge and Chrome also say "Safari", Chrome on Android also says "Linux".
const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/Firefox\//, "Firefox"],
  [/Chrome\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/curl\//, "curl"],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/iPhone|iPad/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/Linux|X11/, "Linux"],
];

/** "Firefox on Linux" from a user agent: enough to tell one's devices apart, nothing more. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "A browser";
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

export const ProfileForm: FC<{ user: User; values?: ProfileValues; error?: string }> = ({ user, values, error }) => (
  <form
    id="profile_form"
    class="form"
    method="post"
    action="/users/me/profile"
    hx-patch="/users/me/profile"
    hx-target="this"
    hx-swap="outerHTML"
  >
    <FormError message={error} />
    <TextField label="Name" name="name" value={values?.name ?? user.name} maxlength={100} autocomplete="name" required />
    <label class="field">
      <span class="field__label">About you (up to {MAX_BIO_CHARS} characters)</span>
      <textarea class="field__input" name="bio" maxlength={MAX_BIO_CHARS} rows={3}>
        {values?.bio ?? user.bio}
      </textarea>
    </label>
    <TextField
      label="Email address"
      name="email_address"
      type="email"
      value={values?.email_address ?? user.emailAddress ?? ""}
      maxlength={254}
      autocomplete="email"
      required
    />
    <button class="button button--primary" type="submit">
      Save profile
    </button>
  </form>
);

export const PasswordForm: FC<{ error?: string; notice?: string }> = ({ error, notice }) => (
  <form
    id="password_form"
    class="form"
    method="post"
    action="/users/me/password"
    hx-post="/users/me/password"
    hx-target="this"
    hx-swap="outerHTML"
  >
    <FormError message={error} />
    {notice ? (
      <p class="form__notice" role="status">
        {notice}
      </p>
    ) : null}
    <PasswordField label="Current password" name="current_password" autocomplete="current-password" />
    <PasswordField
      label="New password"
      name="password"
      autocomplete="new-password"
      hint="At least 8 characters. Your other devices will be signed out."
    />
    <button class="button" type="submit">
      Change password
    </button>
  </form>
);

const Sessions: FC<{ sessions: SessionListing[]; currentSessionId: number }> = ({ sessions, currentSessionId }) => (
  <ul class="profile__sessions">
    {sessions.map((session) => (
      <li class="profile__session" id={`session_${session.id}`}>
        <span class="profile__device">{deviceName(session.userAgent)}</span>
        <span class="profile__ip">{session.ipAddress ?? "address unknown"}</span>
        <span class="profile__last-active">
          Last active <LocalTime at={session.lastActiveAt} format="datetime" />
        </span>
        {session.id === currentSessionId ? (
          <span class="profile__this-device">This device</span>
        ) : (
          <form method="post" action={`/users/me/sessions/${session.id}/removal`}>
            <button class="button button--quiet" type="submit">
              Sign out
            </button>
          </form>
        )}
      </li>
    ))}
  </ul>
);

/** My own page: who I am to others, how I sign in, where I am signed in, and my rooms. */
export const ProfilePage: FC<ProfilePageProps> = (props) => {
  const { user } = props;
  return (
    <Layout title="Your profile" bodyClass="panel-page" user={user} notice={props.notice}>
      <main class="panel account profile">
        <p class="account__back">
          <a href="/">← Back to chat</a>
        </p>
        <h1 class="panel__title">Your profile</h1>

        <section class="account__section" aria-labelledby="profile_details">
          <h2 id="profile_details" class="account__heading">
            You
          </h2>
          <ProfileForm user={user} values={props.values} error={props.error} />
        </section>

        <section class="account__section profile__avatar" aria-labelledby="profile_avatar">
          <h2 id="profile_avatar" class="account__heading">
            Picture
          </h2>
          <Avatar user={user} />
          <form class="form" method="post" action="/profile/avatar" enctype="multipart/form-data">
            <FormError message={props.avatarError} />
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

        <section class="account__section" aria-labelledby="profile_password">
          <h2 id="profile_password" class="account__heading">
            Password
          </h2>
          <PasswordForm error={props.passwordError} />
        </section>

        <section class="account__section" aria-labelledby="profile_sounds">
          <h2 id="profile_sounds" class="account__heading">
            Sounds
          </h2>
          <p class="account__text">/play sounds in rooms:</p>
          <SoundsToggle muted={user.soundsMuted === 1} />
        </section>

        {/* Notification devices: the push notifications module renders its list of this person's devices here. */}
        <section id="profile_notification_devices" class="account__section" aria-labelledby="profile_devices">
          <h2 id="profile_devices" class="account__heading">
            Notification devices
          </h2>
        </section>

        <section class="account__section" aria-labelledby="profile_rooms">
          <h2 id="profile_rooms" class="account__heading">
            Your rooms
          </h2>
          <p class="account__text">Hidden rooms are listed too: pick another setting to bring one back to your sidebar.</p>
          <ul class="profile__rooms">
            {props.rooms.map(({ room, name, involvement }) => (
              <li class="profile__room">
                <a href={`/rooms/${room.id}`}>{name}</a>
                <InvolvementControl roomId={room.id} involvement={involvement} kind={room.kind} />
              </li>
            ))}
          </ul>
        </section>

        <section class="account__section" aria-labelledby="profile_sessions">
          <h2 id="profile_sessions" class="account__heading">
            Where you're signed in
          </h2>
          <Sessions sessions={props.sessions} currentSessionId={props.currentSessionId} />
          <form
            method="post"
            action="/users/me/sessions/removal"
            hx-post="/users/me/sessions/removal"
            hx-confirm="Sign out on every device, this one included?"
          >
            <button class="button" type="submit">
              Sign out everywhere
            </button>
          </form>
        </section>

        <section class="account__section" aria-labelledby="profile_transfer">
          <h2 id="profile_transfer" class="account__heading">
            Log in on another device
          </h2>
          <p class="account__text">Get a link (and a QR code) that signs you in once on your phone or another computer, within 4 hours.</p>
          <form method="post" action="/users/me/transfer">
            <button class="button" type="submit">
              Make a link
            </button>
          </form>
        </section>
      </main>
    </Layout>
  );
};
