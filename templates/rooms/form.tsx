/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Member } from "../../src/rooms/memberships.ts";
import type { Room } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { TextField } from "../shared/fields.tsx";
import { FormError } from "../shared/flash.tsx";

/** Chosen people as removable pills plus a search box fed by /autocompletable/users. */
export const PeoplePicker: FC<{ selected: Member[]; label: string }> = ({ selected, label }) => (
  <div class="picker" data-picker>
    <label class="field">
      <span class="field__label">{label}</span>
      <input
        class="field__input"
        type="search"
        placeholder="Type a name…"
        autocomplete="off"
        data-picker-search
        role="combobox"
        aria-autocomplete="list"
        aria-expanded="false"
        aria-controls="picker_results"
      />
    </label>
    <ul id="picker_results" class="picker__results" data-picker-results role="listbox" aria-label="Matching people"></ul>
    <ul class="picker__selected" data-picker-selected aria-label="Chosen people">
      {selected.map((person) => (
        <PickedPerson person={person} />
      ))}
    </ul>
    <template data-picker-pill>
      <PickedPerson person={{ id: 0, name: "" }} />
    </template>
  </div>
);

const PickedPerson: FC<{ person: Member }> = ({ person }) => (
  <li class="picker__pill" data-user-id={person.id || undefined}>
    <input type="hidden" name="user_ids" value={person.id ? String(person.id) : ""} />
    <span class="picker__name">{person.name}</span>
    <button type="button" class="picker__remove" data-picker-remove aria-label={`Remove ${person.name}`}>
      ×
    </button>
  </li>
);

type SharedRoomFormProps = {
  user: User;
  kind: "open" | "closed";
  room?: Room;
  name: string;
  members: Member[];
  error?: string;
};

/**
 * New or edit form for an open or closed room; "Everyone" and "Selected people" are two views of it.
 * Switching views fetches the other one with what was typed so far (the name, the people picked),
 * so nothing is lost; without JavaScript the links still switch.
 */
export const SharedRoomForm: FC<SharedRoomFormProps> = ({ kind, room, name, members, error }) => {
  const action = room ? `/rooms/${kind === "open" ? "opens" : "closeds"}/${room.id}` : `/rooms/${kind === "open" ? "opens" : "closeds"}`;
  const base = room ? `/rooms/${room.id}/edit` : "/rooms/new";
  const verb = room ? { "hx-patch": action } : { "hx-post": action };
  const switchTo = (to: "open" | "closed") => ({
    href: `${base}?kind=${to}`,
    "hx-get": `${base}?kind=${to}`,
    "hx-include": "closest form",
    "hx-target": "closest form",
    "hx-swap": "outerHTML",
    "hx-push-url": `${base}?kind=${to}`,
    "aria-current": kind === to ? "page" : undefined,
  });
  return (
    <form class="form room-form" method="post" action={action} {...verb} hx-target="this" hx-swap="outerHTML">
      <FormError message={error} />
      <TextField label="Room name" name="name" value={name} maxlength={100} required autofocus={!room} />
      <nav class="room-form__kinds" aria-label="Who is in this room">
        <a class="room-form__kind" {...switchTo("open")}>
          Everyone
        </a>
        <a class="room-form__kind" {...switchTo("closed")}>
          Selected people
        </a>
      </nav>
      {kind === "open" ? (
        <p class="form__hint">Everyone on this Campfire is in the room, including people who join later.</p>
      ) : (
        <PeoplePicker selected={members} label="People in this room" />
      )}
      <button class="button button--primary form__submit" type="submit">
        {room ? "Save changes" : "Create room"}
      </button>
    </form>
  );
};

/** What someone who can't change a room sees in its settings: who is in it, and who could change that. */
export const RoomSummary: FC<{ room: Room; members: Member[] }> = ({ room, members }) => (
  <section class="room-form">
    {room.kind === "open" ? (
      <p>Everyone on this Campfire is in this room, including people who join later.</p>
    ) : (
      <>
        <p>
          {members.length} {members.length === 1 ? "person is" : "people are"} in this room:
        </p>
        <ul class="room-form__members">
          {members.map((member) => (
            <li>{member.name}</li>
          ))}
        </ul>
      </>
    )}
    <p class="form__hint">Only the room's creator or an administrator can change it.</p>
  </section>
);

export const DirectRoomForm: FC<{ selected: Member[]; error?: string }> = ({ selected, error }) => (
  <form class="form room-form" method="post" action="/rooms/directs" hx-post="/rooms/directs" hx-target="this" hx-swap="outerHTML">
    <FormError message={error} />
    <PeoplePicker selected={selected} label="Send a direct message to" />
    <p class="form__hint">Leave it empty to write notes to yourself.</p>
    <button class="button button--primary form__submit" type="submit">
      Start
    </button>
  </form>
);

/** A panel page around a room form, with a way back and, when allowed, a way to delete. */
export const RoomFormPage: FC<{ user: User; title: string; back: string; deletable?: Room; children: unknown }> = ({
  user,
  title,
  back,
  deletable,
  children,
}) => (
  <Layout title={title} bodyClass="panel-page" user={user}>
    <main class="panel panel--wide">
      <a class="panel__back" href={back}>
        ← Back
      </a>
      <h1 class="panel__title">{title}</h1>
      {children}
      {deletable ? (
        <button
          type="button"
          class="button button--danger"
          hx-delete={`/rooms/${deletable.id}`}
          hx-confirm={
            deletable.kind === "direct" ? "Delete this conversation and all its messages?" : "Delete this room and all its messages?"
          }
        >
          {deletable.kind === "direct" ? "Delete conversation" : "Delete room"}
        </button>
      ) : null}
    </main>
  </Layout>
);
