/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { assetPath } from "../../src/http/assets.ts";
import { QUICK_BOOSTS } from "../../src/messages/boosts.ts";
import { domId } from "../../src/realtime/protocol.ts";
import type { Involvement } from "../../src/rooms/memberships.ts";
import type { PresentUser } from "../../src/rooms/presence.ts";
import type { Room, SidebarRooms } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { Html, html } from "../html.ts";
import { LAYOUT_END, layoutHtml, layoutStartHtml } from "../layout.tsx";
import { rememberedHtml, renderToString } from "../render.ts";
import { CopyButton } from "../shared/copy-button.tsx";
import { involvementControlHtml } from "./involvement.tsx";
import { presenceHtml } from "./presence.ts";
import { sidebarHtml, sidebarToggleHtml } from "./sidebar.tsx";

export type RoomView = {
  room: Room;
  name: string;
  /** The page of messages as UTF-8, already rendered (the newest page is rendered and encoded once per change). */
  messages: Uint8Array;
  messageCount: number;
  hasOlder: boolean;
  hasNewer: boolean;
  /** The room's latest change number when the page was read: the tab's catch-up cursor starts here. */
  changeSeq: number;
  highlightId?: number;
  present: PresentUser[];
  involvement: Involvement;
  /** The largest file the composer may send, checked before uploading. */
  maxUploadBytes: number;
  /** The join link, for an administrator alone in a fresh Campfire. */
  invite?: string;
};

type RoomPageProps = {
  user: User;
  accountName: string;
  sidebar: SidebarRooms;
  canCreateRooms: boolean;
  nonce?: string;
};

/**
 * The room page, the most requested of all, in two halves around its messages: the route sends them
 * as bytes with the room's kept messages between (`pageBytes`). Built with the escaping `html`
 * template throughout, no JSX.
 */
export function roomPageHalves({
  user,
  accountName,
  sidebar,
  canCreateRooms,
  view,
  nonce,
}: RoomPageProps & { view: RoomView }): [Html, Html] {
  const start = layoutStartHtml({ title: `${view.name} · ${accountName}`, bodyClass: "app", user, nonce });
  const sidebarPart = sidebarHtml({ user, accountName, sidebar, currentRoomId: view.room.id, canCreateRooms });
  return [html`${start}${SKIP_LINK}${sidebarPart}${roomColumnStartHtml(view)}`, html`${roomColumnEndHtml(view)}${LAYOUT_END}`];
}

/** The room page of someone in no room at all. */
export const noRoomsPageHtml = ({ user, accountName, sidebar, canCreateRooms }: RoomPageProps): Html =>
  layoutHtml(
    { title: accountName, bodyClass: "app", user },
    html`${sidebarHtml({ user, accountName, sidebar, canCreateRooms })}${NO_ROOMS}`,
  );

const SKIP_LINK = html`<a class="skip-link" href="#composer_body" data-skip-to-composer>Skip to the message box</a>`;
const NO_ROOMS = html`<main class="room">
    <section class="room__none">
      <h1>No rooms yet</h1>
      <p>When someone adds you to a room, it shows up here.</p>
    </section>
  </main>`;

/** The room's column up to its messages. */
function roomColumnStartHtml(view: RoomView): Html {
  const { room, name } = view;
  return html`<main class="room" data-room-id="${room.id}" hx-ext="ws" ws-connect="/cable">
    <header class="room__header">
      ${sidebarToggleHtml("room")}
      <h1 class="room__name">${name}</h1>${presenceHtml(room.id, view.present)}${involvementControlHtml(room.id, view.involvement, room.kind)}
      <a class="room__search button button--quiet" href="/searches" title="Search messages">Search</a>
      <a class="room__settings button button--quiet" href="/rooms/${room.id}/edit" title="Room settings">Settings</a>
    </header>
    <div class="room__connection" data-connection-status hidden>Reconnecting…</div>
    <section id="${domId("room", room.id, "messages")}" class="room__messages" aria-label="Messages" role="log" aria-live="off"
      data-messages data-room-id="${room.id}" data-has-older="${String(view.hasOlder)}" data-has-newer="${String(view.hasNewer)}"
      data-change-seq="${view.changeSeq}"${view.highlightId === undefined ? null : html` data-highlight-id="${view.highlightId}"`}>`;
}

/** The room's column after its messages: the note for an empty room and the composer. */
function roomColumnEndHtml(view: RoomView): Html {
  const { room, name } = view;
  return html`</section>
    <p class="room__empty" data-empty-note${view.messageCount > 0 ? " hidden" : ""}>This is the very beginning of ${name}. Say hello!</p>${[
      view.invite ? new Html(renderToString(<InviteHint url={view.invite} />)) : null,
      new Html(roomTail(room.id, name, view.maxUploadBytes)),
    ]}</main>`;
}

/** The first thing a new Campfire needs is people: the join link, ready to copy. */
const InviteHint: FC<{ url: string }> = ({ url }) => (
  <section class="room__invite" aria-labelledby="room_invite_heading">
    <h2 id="room_invite_heading" class="room__invite-heading">
      Invite your team
    </h2>
    <p class="room__invite-text">Anyone with this link can join. Send it to the people you want here.</p>
    <div class="room__invite-link">
      <label class="visually-hidden" for="room_join_link">
        Join link
      </label>
      <input id="room_join_link" class="field__input" type="url" value={url} readonly />
      <CopyButton target="room_join_link" />
    </div>
  </section>
);

// The composer and the hidden templates below the messages are the same on every visit to a room,
// so they are rendered once per room (and name) rather than on every page view.
const tails = rememberedHtml();
const roomTail = (roomId: number, name: string, maxUploadBytes: number): string =>
  tails(`${roomId}:${name}:${maxUploadBytes}`, () =>
    renderToString(<RoomTail roomId={roomId} name={name} maxUploadBytes={maxUploadBytes} />),
  );

const RoomTail: FC<{ roomId: number; name: string; maxUploadBytes: number }> = ({ roomId, name, maxUploadBytes }) => (
  <>
    <button type="button" class="room__jump button" data-jump-to-latest hidden>
      Jump to latest ↓
    </button>
    <footer class="room__composer composer">
      {/* Read out by announcer.ts once per person; this line is rewritten as names expire. */}
      <p id={domId("room", roomId, "typing")} class="composer__typing" data-typing></p>
      <div class="visually-hidden" data-announcer role="log" aria-label="New messages and typing"></div>
      <ul id="composer_mentions" class="composer__mentions" data-mention-list role="listbox" aria-label="People to mention" hidden></ul>
      <ul id="composer_emoji" class="composer__mentions" data-emoji-list role="listbox" aria-label="Emoji" hidden></ul>
      <div class="composer__preview" data-link-preview aria-live="polite" hidden>
        {/* biome-ignore lint/a11y/useValidAnchor: the card stays hidden until the client sets its href from the preview */}
        <a class="link-preview" target="_blank" rel="noopener noreferrer nofollow">
          <img class="link-preview__image" alt="" hidden />
          <span class="link-preview__text">
            <strong class="link-preview__title"></strong>
            <span class="link-preview__description"></span>
          </span>
        </a>
        <button type="button" class="button button--quiet" data-link-preview-dismiss aria-label="Remove the link preview">
          ×
        </button>
      </div>
      <form class="composer__form" method="post" action={`/rooms/${roomId}/messages`} data-composer data-max-upload-bytes={maxUploadBytes}>
        <label class="button button--quiet composer__attach" title="Attach files">
          <span aria-hidden="true">📎</span>
          <span class="visually-hidden">Attach files</span>
          <input class="visually-hidden" type="file" name="attachment" multiple data-attach />
        </label>
        <label class="visually-hidden" for="composer_body">
          Message {name}
        </label>
        <textarea
          id="composer_body"
          class="composer__input"
          name="body"
          rows={1}
          aria-autocomplete="list"
          placeholder={`Message ${name}`}
          required
          maxlength={10000}
          data-emoji-src={assetPath("emoji.json")}
        ></textarea>
        {/* The toolbar composer: Trix keeps its HTML in the hidden input; composer.ts posts it as body_html. */}
        <div class="composer__rich" data-composer-rich hidden>
          <input type="hidden" id="composer_body_html" />
          <trix-editor
            id="composer_editor"
            class="composer__editor"
            input="composer_body_html"
            aria-label={`Message ${name}`}
            placeholder={`Message ${name}`}
          ></trix-editor>
        </div>
        <button
          type="button"
          class="button button--quiet composer__toggle"
          data-composer-toggle
          aria-pressed="false"
          title="Formatting toolbar"
        >
          Aa
        </button>
        <button class="button button--primary composer__send" type="submit" name="send">
          Send
        </button>
      </form>
    </footer>
    <template id="pending_message_template">
      <article class="message message--pending">
        <div class="message__main">
          <header class="message__meta">
            <span class="message__author"></span>
            <span class="message__status">Sending…</span>
            <button type="button" class="message__cancel button button--quiet" data-cancel-upload hidden>
              Cancel
            </button>
            <button type="button" class="message__retry button button--quiet" data-retry hidden>
              Retry
            </button>
          </header>
          <div class="message__body"></div>
          <progress class="message__progress" max="100" value="0" data-upload-progress hidden></progress>
        </div>
      </article>
    </template>
    <div class="message-actions" data-message-actions hidden>
      {QUICK_BOOSTS.map((content) => (
        <button type="button" class="message-actions__boost" data-boost-quick={content} title={`Boost with ${content}`}>
          {content}
        </button>
      ))}
      <form class="message-actions__boost-form" data-boost-form>
        <input name="content" required autocomplete="off" placeholder="Boost…" aria-label="Boost with any text" />
      </form>
      <button type="button" class="message-actions__button" data-message-reply>
        Reply
      </button>
      <button type="button" class="message-actions__button" data-message-edit>
        Edit
      </button>
      <button type="button" class="message-actions__button" data-message-delete>
        Delete
      </button>
    </div>
  </>
);
