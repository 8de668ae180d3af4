import type { Database } from "bun:sqlite";
import type { Account } from "../accounts/accounts.ts";
import type { RoomEntry } from "../rooms/room-entries.ts";
import type { SidebarRooms } from "../rooms/rooms.ts";
import type { RecentSearch } from "../search/searches.ts";
import type { SessionRow } from "../sessions/sessions.ts";

/** What a cached read needs: the connection, and the cache in front of it. */
export type Reads = { db: Database; cache: ReadCache };

/** A room's newest page as the room route builds it; the people it shows (authors, people mentioned, boosters) say which renames make it stale. */
export type KeptPage = { authorIds: ReadonlySet<number> };

// A page is ~25 KB; beyond this many rooms the one kept longest is dropped (many direct rooms).
const LATEST_PAGES_KEPT = 200;

/** A message as rendered at one change number; the people it shows say which renames make it stale. */
export type KeptMessage = { changeSeq: number; people: ReadonlySet<number> };
// A rendered message is ~0.6 KB: 5,000 are a few MB, a hundred pages of history.
const MESSAGES_KEPT = 5000;
// Every request resolves its session, so the answer is kept for a second: that saves a query per
// request. Events forget it at once; the second bounds anything without an event (a role change).
// The process's own time, not `now()`: a test that holds the clock still must not keep a session forever.
export const SESSION_MEMORY_MS = 1000;
const SESSION_MEMORY_LIMIT = 10_000;
// People's shown names, for search results (a team's people; the bound only guards memory).
const NAMES_KEPT = 10_000;
// The search page shows the reader's last searches every time (~20 µs of a ~500 µs page to read).
const RECENT_SEARCHES_KEPT = 10_000;
// Every full page shows the reader's sidebar: its memberships query and sort took ~65 µs of a page
// in place; kept per person, the search page takes 0.93× the time, the room page 0.84–0.96×.
const SIDEBARS_KEPT = 10_000;
// PRAGMA data_version costs ~3.7 µs here, as much as the rest of a cached read; a room page makes
// four cached reads. Looking at most every 100 ms keeps that off the hot path, and a write by
// another process (the CLI) is seen by reads within 0.1 s (and by the 1 s socket check).
const OUTSIDE_WRITE_CHECK_MS = 100;

/**
 * Whatever is kept in memory to skip a query or a render, in one place (DESIGN.md principle 8).
 * Kept values are forgotten only through the named events below, which write paths call after
 * their commit; a commit by another connection (PRAGMA data_version) forgets everything. Switched
 * off (CAMPFIRE_READ_CACHE=off), every read goes to SQLite, so tests can compare both.
 */
export class ReadCache {
  private readonly latestPages = new Map<number, KeptPage>();
  private readonly messages = new Map<number, KeptMessage>();
  private readonly roomEntries = new Map<number, RoomEntry>();
  private account: Account | null = null;
  private anyPushDevice: boolean | null = null;
  private readonly sessions = new Map<string, { row: SessionRow; until: number }>();
  private readonly recentSearches = new Map<number, RecentSearch[]>();
  private readonly shownNames = new Map<number, string>();
  private readonly sidebars = new Map<number, SidebarRooms>();
  /** Whose kept sidebars show each room, so a post forgets only those (its unread marks, its order). */
  private readonly sidebarsShowing = new Map<number, Set<number>>();
  /** No message was posted, edited or deleted since a search last brought the index up to date. */
  private searchIndexCurrent = false;
  private dataVersion: number;
  private checkedAt = performance.now();
  /** How many times a commit by another connection was noticed (the socket check compares it). */
  outsideWrites = 0;

  constructor(
    private readonly db: Database,
    readonly enabled = true,
  ) {
    this.dataVersion = this.readDataVersion();
  }

  // --- reads: each takes what to do on a miss, so the SQL stays in the module that owns the table

  /** A room's newest page, built again only after its messages (or an author's name) change. */
  latestPage<T extends KeptPage>(roomId: number, build: () => T): T {
    if (!this.fresh()) return build();
    let page = this.latestPages.get(roomId) as T | undefined;
    if (!page) {
      if (this.latestPages.size >= LATEST_PAGES_KEPT) this.latestPages.delete(this.latestPages.keys().next().value!);
      this.latestPages.set(roomId, (page = build()));
    }
    return page;
  }

  /**
   * A message as rendered, made again when its change number moves (an edit, a boost: every change
   * a reader can see takes the room's next number) or a person it shows changes. Deleted messages'
   * ids are never used again, so theirs simply age out.
   */
  renderedMessage<T extends KeptMessage>(id: number, changeSeq: number, build: () => T): T {
    if (!this.fresh()) return build();
    let kept = this.messages.get(id) as T | undefined;
    if (kept?.changeSeq !== changeSeq) {
      if (!kept && this.messages.size >= MESSAGES_KEPT) this.messages.delete(this.messages.keys().next().value!);
      this.messages.set(id, (kept = build()));
    }
    return kept;
  }

  /** Whether a message is kept as rendered at this change number (so what only its rendering needs is not read). */
  hasRenderedMessage(id: number, changeSeq: number): boolean {
    return this.fresh() && this.messages.get(id)?.changeSeq === changeSeq;
  }

  /** The entries of these rooms in the order given; `load` reads the ones not kept. */
  roomEntriesOf(roomIds: number[], load: (missing: number[]) => RoomEntry[]): RoomEntry[] {
    if (!this.fresh()) return sortedLike(roomIds, load(roomIds));
    const missing = roomIds.filter((id) => !this.roomEntries.has(id));
    if (missing.length > 0) for (const entry of load(missing)) this.roomEntries.set(entry.id, entry);
    return roomIds.flatMap((id) => this.roomEntries.get(id) ?? []);
  }

  accountOr(load: () => Account | null): Account | null {
    if (!this.fresh()) return load();
    return (this.account ??= load());
  }

  /** Whether anyone has a device to push to; with none (most servers, most of the time) a post skips the push queries. */
  anyPushDeviceOr(load: () => boolean): boolean {
    if (!this.fresh()) return load();
    return (this.anyPushDevice ??= load());
  }

  sessionOr(digest: string, load: () => SessionRow | null): SessionRow | null {
    if (!this.fresh()) return load();
    const kept = this.sessions.get(digest);
    if (kept && kept.until > performance.now()) return kept.row;
    const row = load();
    if (!row) return null;
    if (this.sessions.size >= SESSION_MEMORY_LIMIT) this.sessions.clear();
    this.sessions.set(digest, { row, until: performance.now() + SESSION_MEMORY_MS });
    return row;
  }

  /** People's names as their messages show them, by id; `load` reads the ones not kept. */
  shownNamesOf(ids: number[], load: (missing: number[]) => Map<number, string>): ReadonlyMap<number, string> {
    if (!this.fresh()) return load(ids);
    let missing = ids.filter((id) => !this.shownNames.has(id));
    if (missing.length > 0) {
      if (this.shownNames.size + missing.length > NAMES_KEPT) {
        this.shownNames.clear();
        missing = ids;
      }
      for (const [id, name] of load(missing)) this.shownNames.set(id, name);
    }
    return this.shownNames;
  }

  /** A person's last searches, read again only after they search or clear them. */
  recentSearchesOr(userId: number, load: () => RecentSearch[]): RecentSearch[] {
    if (!this.fresh()) return load();
    let kept = this.recentSearches.get(userId);
    if (!kept) {
      if (this.recentSearches.size >= RECENT_SEARCHES_KEPT) this.recentSearches.clear();
      kept = load();
      this.recentSearches.set(userId, kept);
    }
    return kept;
  }

  /** A person's sidebar: their rooms in order, which are unread, how many they hid. */
  sidebarOr(userId: number, load: () => SidebarRooms): SidebarRooms {
    if (!this.fresh()) return load();
    let kept = this.sidebars.get(userId);
    if (!kept) {
      if (this.sidebars.size >= SIDEBARS_KEPT) this.forgetSidebars();
      kept = load();
      this.sidebars.set(userId, kept);
      for (const room of [...kept.shared, ...kept.directs]) {
        let people = this.sidebarsShowing.get(room.id);
        if (!people) this.sidebarsShowing.set(room.id, (people = new Set()));
        people.add(userId);
      }
    }
    return kept;
  }

  /**
   * Runs `catchUp` (a search indexing what was posted a moment ago) unless no message changed since
   * it last ran: the check that finds nothing to index is ~11 µs of a ~550 µs search page.
   */
  searchIndexCaughtUp(catchUp: () => void): void {
    if (this.fresh() && this.searchIndexCurrent) return;
    catchUp();
    this.searchIndexCurrent = true;
  }

  // --- events, called after the commit that made them true

  /**
   * A room's messages were posted, edited or deleted. `postedAt` (a new message's time, which
   * `rooms.last_message_at` now holds) moves the room's entry along instead of reading it again.
   */
  messagesChanged(roomId: number, postedAt?: number): void {
    this.searchIndexCurrent = false;
    this.latestPages.delete(roomId);
    // A post marks the room unread for its members and moves a direct room up their list.
    for (const userId of this.sidebarsShowing.get(roomId) ?? []) this.sidebars.delete(userId);
    this.sidebarsShowing.delete(roomId);
    const entry = this.roomEntries.get(roomId);
    if (entry && postedAt !== undefined) entry.lastMessageAt = postedAt;
  }

  /**
   * A room was made, renamed, changed kind or people, or deleted: its entry and its newest page are
   * read again, and every sidebar (a newcomer's doesn't show the room yet, a hidden room only counts).
   */
  roomChanged(roomId: number): void {
    this.latestPages.delete(roomId);
    this.roomEntries.delete(roomId);
    this.forgetSidebars();
  }

  /** A person hid or showed a room, or read one: their sidebar is read again. */
  membershipChanged(userId: number): void {
    this.sidebars.delete(userId);
  }

  /** A person's name (or anything else shown of them) changed: wherever it is shown is read again. */
  personChanged(userId: number): void {
    for (const [roomId, page] of this.latestPages) if (page.authorIds.has(userId)) this.latestPages.delete(roomId);
    for (const [id, message] of this.messages) if (message.people.has(userId)) this.messages.delete(id);
    for (const [roomId, entry] of this.roomEntries)
      if (entry.members.some((member) => member.id === userId)) this.roomEntries.delete(roomId);
    this.sessionsEnded(userId);
    this.recentSearches.delete(userId);
    this.shownNames.delete(userId);
    this.forgetSidebars(); // direct rooms are named after their people
  }

  accountChanged(): void {
    this.account = null;
  }

  /**
   * A device was saved. Removals need no event: a kept "yes" only means the push query runs and
   * finds nobody, as it did before there was this cache.
   */
  pushDeviceAdded(): void {
    this.anyPushDevice = null;
  }

  /** A person searched, or cleared their searches. */
  searchesChanged(userId: number): void {
    this.recentSearches.delete(userId);
  }

  /** Some or all of a person's sessions ended: none of theirs is trusted from memory any more. */
  sessionsEnded(userId: number): void {
    for (const [digest, kept] of this.sessions) if (kept.row.id === userId) this.sessions.delete(digest);
  }

  // --- writes by other processes

  /** Forgets everything if another connection committed since the last look; says whether one had. */
  noticeOutsideWrites(): boolean {
    this.checkedAt = performance.now();
    const version = this.readDataVersion();
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    this.outsideWrites++;
    this.latestPages.clear();
    this.messages.clear();
    this.roomEntries.clear();
    this.account = null;
    this.anyPushDevice = null;
    this.sessions.clear();
    this.recentSearches.clear();
    this.shownNames.clear();
    this.forgetSidebars();
    this.searchIndexCurrent = false;
    return true;
  }

  private forgetSidebars(): void {
    this.sidebars.clear();
    this.sidebarsShowing.clear();
  }

  /** Whether kept values may be used: the cache is on and nobody else wrote (as of a moment ago). */
  private fresh(): boolean {
    if (!this.enabled) return false;
    if (performance.now() - this.checkedAt >= OUTSIDE_WRITE_CHECK_MS) this.noticeOutsideWrites();
    return true;
  }

  private readDataVersion(): number {
    return this.db.query<{ data_version: number }, []>("PRAGMA data_version").get()!.data_version;
  }
}

/** Rows read with `IN (…)` come back in any order; callers expect the order they asked for. */
function sortedLike(roomIds: number[], entries: RoomEntry[]): RoomEntry[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return roomIds.flatMap((id) => byId.get(id) ?? []);
}
