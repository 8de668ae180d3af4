/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { domId } from "../../src/realtime/protocol.ts";
import type { SidebarRooms } from "../../src/rooms/rooms.ts";
import { wordMarker } from "../../src/search/highlight.ts";
import { MAX_QUERY_CHARS, type RecentSearch, type SearchResult } from "../../src/search/searches.ts";
import type { User } from "../../src/users/users.ts";
import { type Html, html, inJsx, joinHtml } from "../html.ts";
import { Layout } from "../layout.tsx";
import { messageHtml } from "../messages/message.tsx";
import { Sidebar } from "../rooms/sidebar.tsx";

export type SearchView = {
  query: string;
  /** Newest first; `more` when there are more than RESULT_LIMIT of them. */
  results: SearchResult[];
  more: boolean;
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

export const SearchPage: FC<SearchPageProps> = ({ user, accountName, sidebar, canCreateRooms, view }) => (
  <Layout title={view.query ? `“${view.query}” · Search · ${accountName}` : `Search · ${accountName}`} bodyClass="app" user={user}>
    <Sidebar user={user} accountName={accountName} {...sidebar} canCreateRooms={canCreateRooms} />
    <main class="search">
      <header class="search__header">
        <button
          type="button"
          class="search__menu button button--quiet"
          data-sidebar-toggle
          aria-label="Show rooms"
          aria-expanded="false"
          aria-controls="sidebar"
        >
          ☰
        </button>
        <h1 class="search__title">Search</h1>
        <a class="search__back button button--quiet" href={view.back.href}>
          ← Back to {view.back.name}
        </a>
      </header>
      <div class="search__body">
        {/* biome-ignore lint/a11y/useSemanticElements: role="search" on the form is the landmark; a <search> wrapper would add an element for the same thing */}
        <form class="search__form" method="post" action="/searches" role="search">
          <label class="visually-hidden" for="search_q">
            Search messages
          </label>
          <input
            id="search_q"
            class="field__input search__input"
            type="search"
            name="q"
            value={view.query}
            placeholder="Search messages in your rooms"
            maxlength={MAX_QUERY_CHARS}
            autocomplete="off"
            autofocus={!view.query}
          />
          <button class="button button--primary" type="submit">
            Search
          </button>
        </form>
        {view.error ? (
          <p class="form__error" role="alert">
            {view.error}
          </p>
        ) : null}
        <RecentSearches recent={view.recent} />
        {view.query && !view.error ? <Results query={view.query} results={view.results} more={view.more} /> : null}
      </div>
    </main>
  </Layout>
);

const RecentSearches: FC<{ recent: RecentSearch[] }> = ({ recent }) =>
  recent.length === 0 ? null : (
    <nav class="search__recent" aria-label="Recent searches">
      <ul class="search__chips">
        {recent.map((search) => (
          <li>
            <a class="search__chip" href={`/searches?q=${encodeURIComponent(search.query)}`}>
              {search.query}
            </a>
          </li>
        ))}
      </ul>
      <button type="button" class="search__clear button button--quiet" hx-delete="/searches/clear">
        Clear
      </button>
    </nav>
  );

const Results: FC<{ query: string; results: SearchResult[]; more: boolean }> = ({ query, results, more }) => (
  <section class="search__results" aria-label="Results">
    <p class="search__summary" role="status">
      {summary(query, results.length, more)}
    </p>
    <ol class="search__list">{inJsx(resultsHtml(results))}</ol>
  </section>
);

// The message itself shows only the time; across days and rooms the date matters too.
const DATE = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const DAY_MS = 86_400_000;
// A hundred results fall on a few days; formatting a date is slow next to the rest of a result.
const days = new Map<number, string>();
const dateOf = (at: number): string => {
  const day = Math.floor(at / DAY_MS);
  let text = days.get(day);
  if (text === undefined) {
    if (days.size > 1000) days.clear();
    days.set(day, (text = DATE.format(at)));
  }
  return text;
};

/** The results with the words that matched marked (one marker for the page). */
function resultsHtml(results: SearchResult[]): Html {
  const mark = wordMarker(results.flatMap((result) => result.words));
  return joinHtml(results.map((result) => resultHtml(result, mark)));
}

/**
 * One result: where and when, then the message as the room shows it, its matched words marked (the
 * marker only puts <mark> around text of the sanitized body). Built with `html`, like messageHtml,
 * as there are a hundred.
 */
function resultHtml(message: SearchResult, mark: (html: string) => string): Html {
  return html`<li id="${domId("search_result", message.id)}" class="search-result">
    <a class="search-result__room" href="/rooms/${message.roomId}/@${message.id}">${message.roomName}</a>
    <time class="search-result__date" datetime="${new Date(message.createdAt).toISOString()}">${dateOf(message.createdAt)}</time>
    ${messageHtml({ ...message, bodyHtml: mark(message.bodyHtml) })}
  </li>`;
}

function summary(query: string, count: number, more: boolean): string {
  if (count === 0) return `No messages match “${query}”.`;
  if (more) return `More than ${count} messages match “${query}”; here are the newest ${count}.`;
  return `${count} ${count === 1 ? "message matches" : "messages match"} “${query}”.`;
}
