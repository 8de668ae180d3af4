import { now } from "../../src/db/time.ts";
import { domId } from "../../src/realtime/protocol.ts";
import type { SidebarRooms } from "../../src/rooms/rooms.ts";
import { snippetHtml } from "../../src/search/highlight.ts";
import { MAX_QUERY_CHARS, type RecentSearch, type SearchResult } from "../../src/search/searches.ts";
import type { User } from "../../src/users/users.ts";
import { formatted, type Html, html, keptWith } from "../html.ts";
import { layoutHtml } from "../layout.tsx";
import { sidebarHtml, sidebarToggleHtml } from "../rooms/sidebar.tsx";
import { isoTime } from "../shared/time.tsx";

/** `older`: a later page (More results followed without htmx), so not the newest matches. */
type Found = { results: SearchResult[]; more: boolean; older?: boolean };

export type SearchView = {
  query: string;
  /** Newest first; `more` when older ones follow. Null when nothing was asked (or the query was refused). */
  found: Found | null;
  recent: RecentSearch[];
  back: { href: string; name: string };
  error?: string;
};

type SearchPageProps = {
  user: User;
  accountName: string;
  sidebar: SidebarRooms;
  canCreateRooms: boolean;
  view: SearchView;
};

/** The search page, built with the escaping `html` template like the room page. */
export function searchPageHtml({ user, accountName, sidebar, canCreateRooms, view }: SearchPageProps): Html {
  const title = view.query ? `“${view.query}” · Search · ${accountName}` : `Search · ${accountName}`;
  return layoutHtml(
    { title, bodyClass: "app", user },
    html`${sidebarHtml({ user, accountName, sidebar, canCreateRooms })}${searchColumnHtml(view, filterChipsHtml(sidebar, user.id))}`,
  );
}

/**
 * Everything right of the sidebar, built with `html` as the sidebar and the results are: as JSX,
 * the header, box and chips cost ~0.1 ms of a ~0.75 ms search page (measured in one process).
 */
function searchColumnHtml(view: SearchView, chips: Html): Html {
  return html`<main class="search">
    <header class="search__header">
      ${sidebarToggleHtml("search")}
      <h1 class="search__title">Search</h1>
      <a class="search__back button button--quiet" href="${view.back.href}">← Back to ${view.back.name}</a>
    </header>
    <div class="search__body">
      <form class="search__form" method="post" action="/searches" role="search">
        <label class="visually-hidden" for="search_q">Search messages</label>
        <input id="search_q" class="field__input search__input" type="search" name="q" value="${view.query}"
          placeholder="Search messages in your rooms" maxlength="${MAX_QUERY_CHARS}" autocomplete="off"${view.query ? "" : " autofocus"}
          data-search-box>
        <button class="button button--primary" type="submit">Search</button>
      </form>${[
        view.error ? html`<p class="form__error" role="alert">${view.error}</p>` : null,
        chips,
        recentSearchesHtml(view.recent),
        view.found ? resultsHtml(view.query, view.found) : null,
      ]}</div>
  </main>`;
}

function recentSearchesHtml(recent: RecentSearch[]): Html | null {
  if (recent.length === 0) return null;
  return html`<nav class="search__recent" aria-label="Recent searches">
    <ul class="search__chips">${recent.map(
      (search) => html`<li><a class="search__chip" href="/searches?q=${encodeURIComponent(search.query)}">${search.query}</a></li>`,
    )}</ul>
    <button type="button" class="search__clear button button--quiet" hx-delete="/searches/clear">Clear</button>
  </nav>`;
}

const CHIPS_OF_A_KIND = 12;
const DAY_MS = 86_400_000;
const dateOnly = (at: number) => isoTime(at).slice(0, 10);
/** A filter as typed: a value with spaces goes in quotes. */
const filter = (name: string, value: string) => `${name}:${/\s/.test(value) ? `"${value.replaceAll('"', "")}"` : value}`;

/**
 * Filters offered under the box, from the reader's sidebar: their rooms, and the people they have
 * direct rooms with. A click adds one to what is typed (assets/client/search.ts). Made again only
 * for a new sidebar or a new day, the last ones kept with the read cache's sidebar object (see
 * `keptWith`) as the sidebar's own HTML is: some thirty chips were ~25 µs of a search page.
 */
function filterChipsHtml(sidebar: SidebarRooms, viewerId: number): Html {
  const today = now();
  return keptChips(sidebar, `${viewerId} ${dateOnly(today)}`, () => makeFilterChipsHtml(sidebar, viewerId, today));
}

const keptChips = keptWith<SidebarRooms>();

function makeFilterChipsHtml({ shared, directs }: SidebarRooms, viewerId: number, today: number): Html {
  const people = new Set(directs.flatMap((room) => room.members.filter((member) => member.id !== viewerId).map((member) => member.name)));
  const chips = [
    "has:file",
    "has:link",
    `after:${dateOnly(today - 7 * DAY_MS)}`,
    `before:${dateOnly(today)}`,
    ...shared.slice(0, CHIPS_OF_A_KIND).map((room) => filter("in", room.name!)),
    ...[...people].slice(0, CHIPS_OF_A_KIND).map((person) => filter("from", person)),
  ];
  return html`<ul class="search__chips search__filters" aria-label="Filters">${chips.map(
    (chip) => html`<li><button type="button" class="search__chip search__filter" data-search-filter="${chip}">${chip}</button></li>`,
  )}</ul>`;
}

function resultsHtml(query: string, found: Found): Html {
  return html`<section class="search__results" aria-label="Results">
    <p class="search__summary" role="status">${summary(query, found)}</p>
    <ol class="search__list">${moreResultsHtml(query, found)}</ol>
  </section>`;
}

/** A page of results and, when older ones follow, the link that brings the next page in its place. */
export function moreResultsHtml(query: string, { results, more }: Found): Html {
  const last = results.at(-1);
  const next =
    more && last
      ? html`<li class="search__more"><a class="button button--quiet" href="/searches?q=${encodeURIComponent(query)}&amp;before=${last.id}"
          hx-get="/searches?q=${encodeURIComponent(query)}&amp;before=${last.id}" hx-target="closest li" hx-swap="outerHTML">More results</a></li>`
      : null;
  // Joined lazily (a rope), not flattened by joinHtml: a page of results is sent once and never kept.
  return html`${results.map(resultHtml)}${next}`;
}

/**
 * One result: where, who and when (in the reader's time zone, rewritten by the client like message
 * times), and the excerpt around the match linking to the message in its room. Built with `html`,
 * as there are a hundred.
 */
function resultHtml(result: SearchResult): Html {
  // The id and the time are made here from numbers: `formatted`, not escaped (see html.ts).
  const iso = isoTime(result.createdAt);
  return html`<li id="${formatted(domId("search_result", result.id))}" class="search-result" data-message-id="${result.id}">
    <a class="search-result__room" href="/rooms/${result.roomId}/@${result.id}">${result.roomName}</a>
    <span class="search-result__author">${result.creatorName}</span>
    <time class="search-result__date" datetime="${formatted(iso)}" data-local-time="datetime">${formatted(`${iso.slice(0, 10)} ${iso.slice(11, 16)}`)}</time>
    <a class="search-result__snippet" href="/rooms/${result.roomId}/@${result.id}">${snippetHtml(result.snippet)}</a>
  </li>`;
}

function summary(query: string, { results, more, older }: Found): string {
  const count = results.length;
  if (older) return count === 0 ? `No older messages match “${query}”.` : `Older messages that match “${query}”:`;
  if (count === 0) return `No messages match “${query}”.`;
  if (more) return `More than ${count} messages match “${query}”; here are the newest ${count}.`;
  return `${count} ${count === 1 ? "message matches" : "messages match"} “${query}”.`;
}
