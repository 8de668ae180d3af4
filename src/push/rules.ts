import type { Involvement } from "../rooms/memberships.ts";

/** One member's situation when a message arrives in a room they belong to. */
export type PushCase = {
  involvement: Involvement;
  /** The message mentions them. */
  mentioned: boolean;
  /** The room is a direct one (its people were asked "everything" when it was made; the level decides alone). */
  direct: boolean;
  /** A tab of theirs is looking at the room (presence fresher than its TTL). */
  present: boolean;
  /** They wrote it. */
  own: boolean;
};

/**
 * FEATURES.md §1.13: whether a member's browsers get a push for a new message. This is the rule in
 * words a reader can check; subscriptions.ts's pushRecipients applies it to a whole room in SQL, and
 * test/push/rules.test.ts holds both to the same table.
 */
export function shouldPush({ involvement, mentioned, present, own }: PushCase): boolean {
  if (own || present || involvement === "invisible") return false;
  return involvement === "everything" || (involvement === "mentions" && mentioned);
}
