/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { BanCandidate } from "../../src/bans/bans.ts";
import { isAdministrator, type User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Avatar } from "../shared/avatar.tsx";
import { FormError } from "../shared/flash.tsx";

type PersonPageProps = { viewer: User; person: User; bannedAddresses: string[]; error?: string };

/** What an administrator may do about someone else: role, a sign-in link, deactivation, ban. */
const AdminControls: FC<{ person: User; bannedAddresses: string[] }> = ({ person, bannedAddresses }) => (
  <section class="account__section" aria-labelledby="person_admin">
    <h2 id="person_admin" class="account__heading">
      Administration
    </h2>
    {person.emailAddress ? (
      <p class="account__text">
        Email: <a href={`mailto:${person.emailAddress}`}>{person.emailAddress}</a>
      </p>
    ) : null}
    {person.status === "active" ? (
      <>
        <form class="person__action" method="post" action={`/users/${person.id}/role`}>
          <input type="hidden" name="role" value={isAdministrator(person) ? "member" : "admin"} />
          <button class="button" type="submit">
            {isAdministrator(person) ? "Make a member" : "Make an administrator"}
          </button>
        </form>
        <form class="person__action" method="post" action={`/users/${person.id}/transfer`}>
          <button class="button" type="submit">
            Make a sign-in link
          </button>
          <span class="account__hint">Share it to get them back into their account.</span>
        </form>
        <form
          class="person__action"
          method="post"
          action={`/users/${person.id}/deactivation`}
          hx-post={`/users/${person.id}/deactivation`}
          hx-confirm={`Deactivate ${person.name}? They are signed out and leave every room; their messages stay.`}
        >
          <button class="button button--danger" type="submit">
            Deactivate
          </button>
        </form>
        <p class="person__action">
          <a class="button button--danger" href={`/users/${person.id}/ban`}>
            Ban…
          </a>
        </p>
      </>
    ) : null}
    {person.status === "banned" ? (
      <form class="person__action" method="post" action={`/users/${person.id}/unban`}>
        <p class="account__text">Banned addresses: {bannedAddresses.join(", ") || "none"}</p>
        <button class="button" type="submit">
          Remove the ban
        </button>
      </form>
    ) : null}
  </section>
);

/** Someone's page: their face, name and bio, and a way to message them. */
export const PersonPage: FC<PersonPageProps> = ({ viewer, person, bannedAddresses, error }) => (
  <Layout title={person.name} bodyClass="panel-page" user={viewer}>
    <main class="panel account person">
      <p class="account__back">
        <a href="/">← Back to chat</a>
      </p>
      <div class="person__header">
        <Avatar user={person} />
        <h1 class="panel__title">{person.name}</h1>
      </div>
      <FormError message={error} />
      {person.status === "deactivated" ? <p class="account__text">{person.name} is no longer on this account.</p> : null}
      {person.status === "banned" ? <p class="account__text">{person.name} is banned.</p> : null}
      {person.bio ? <p class="person__bio">{person.bio}</p> : null}
      {person.status === "active" && person.id !== viewer.id ? (
        <form method="post" action="/rooms/directs">
          <input type="hidden" name="user_ids" value={String(person.id)} />
          <button class="button button--primary" type="submit">
            Message {person.name}
          </button>
        </form>
      ) : null}
      {person.id === viewer.id ? <a href="/users/me/profile">Edit your profile</a> : null}
      {isAdministrator(viewer) && person.id !== viewer.id ? <AdminControls person={person} bannedAddresses={bannedAddresses} /> : null}
    </main>
  </Layout>
);

/** Before a ban: exactly which addresses will be refused, and who else was seen at each. */
export const BanConfirmPage: FC<{ viewer: User; person: User; candidates: BanCandidate[] }> = ({ viewer, person, candidates }) => (
  <Layout title={`Ban ${person.name}`} bodyClass="panel-page" user={viewer}>
    <main class="panel account">
      <p class="account__back">
        <a href={`/users/${person.id}`}>← Back</a>
      </p>
      <h1 class="panel__title">Ban {person.name}?</h1>
      <p class="account__text">
        They are signed out everywhere, every message they wrote is deleted for everyone, and these addresses can no longer post anything
        (they can still read public pages):
      </p>
      {candidates.length === 0 ? (
        <p class="account__text">No address to block: their sessions came only from this machine (a local proxy) or from nowhere known.</p>
      ) : (
        <ul class="ban__addresses">
          {candidates.map((candidate) => (
            <li class="ban__address">
              <code>{candidate.ip}</code>
              {candidate.otherPeople.length > 0 ? (
                <strong class="ban__shared">
                  {" "}
                  Also used by {candidate.otherPeople.join(", ")}: they would be blocked too (a shared network or proxy?).
                </strong>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/users/${person.id}/ban`}>
        <button class="button button--danger" type="submit">
          Ban {person.name}
        </button>
      </form>
    </main>
  </Layout>
);
