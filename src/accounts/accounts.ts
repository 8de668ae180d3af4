import type { Database } from "bun:sqlite";
import { timingSafeEqual } from "node:crypto";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { isAdministrator, type User } from "../users/users.ts";
import { noteBranding, stylesVersion } from "./branding.ts";

export type AccountSettings = { restrictRoomCreationToAdministrators: boolean };
export type Account = {
  id: number;
  name: string;
  joinCode: string;
  customStyles: string;
  /** CSS an administrator is previewing, not yet served to everyone. */
  customStylesDraft: string | null;
  /** A hash of the custom CSS, for its URL; null when there is none. */
  stylesVersion: string | null;
  /** The uploaded logo's file key prefix (`<key>-512.png`, `<key>-192.png`); null shows Campfire's own. */
  logoKey: string | null;
  settings: AccountSettings;
};

const DEFAULT_SETTINGS: AccountSettings = { restrictRoomCreationToAdministrators: false };
const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

type AccountRow = {
  id: number;
  name: string;
  join_code: string;
  custom_styles: string;
  custom_styles_draft: string | null;
  logo_key: string | null;
  settings: string;
};

/** Three groups of four characters, like `Xk3p-9aQm-T2wz`; long enough not to be guessed. */
export function generateJoinCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = Array.from(bytes, (b) => JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join("")).join("-");
}

// Every page reads the account and it almost never changes, so it is kept in the read cache; the
// writers below are followed by `accountChanged()` once committed.
export function findAccount({ db, cache }: Reads): Account | null {
  const account = cache.accountOr(() => {
    const row = db
      .query<AccountRow, []>(
        "SELECT id, name, join_code, custom_styles, custom_styles_draft, logo_key, settings FROM accounts WHERE id = 1",
      )
      .get();
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      joinCode: row.join_code,
      customStyles: row.custom_styles,
      customStylesDraft: row.custom_styles_draft,
      stylesVersion: row.custom_styles ? stylesVersion(row.custom_styles) : null,
      logoKey: row.logo_key,
      settings: { ...DEFAULT_SETTINGS, ...JSON.parse(row.settings) },
    };
  });
  // Every page reads the account before its layout, so the layout's logo and stylesheet are this one's.
  if (account) noteBranding(account);
  return account;
}

export function createAccount(db: Database, name: string): void {
  const at = now();
  db.query(
    "INSERT INTO accounts (id, name, join_code, settings, created_at, updated_at) VALUES (1, $name, $joinCode, $settings, $at, $at)",
  ).run({ name, joinCode: generateJoinCode(), settings: JSON.stringify(DEFAULT_SETTINGS), at });
}

/** The account a join link opens, or null for any code but the current one. */
export function findAccountByJoinCode(reads: Reads, joinCode: string): Account | null {
  const account = findAccount(reads);
  return account && sameSecret(account.joinCode, joinCode) ? account : null;
}

// The join code is the only gate to signing up, so it is compared in constant time.
function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Replaces the join code, so links handed out before stop working at once; returns the new code. */
export function regenerateJoinCode(db: Database): string {
  const joinCode = generateJoinCode();
  db.query("UPDATE accounts SET join_code = ?, updated_at = ? WHERE id = 1").run(joinCode, now());
  return joinCode;
}

/** Renames the account (when a name is given) and stores the settings, keeping any other settings as they are. */
export function updateAccountSettings(db: Database, update: { name?: string; restrictRoomCreationToAdministrators: boolean }): void {
  db.query(
    `UPDATE accounts SET
       name = coalesce($name, name),
       settings = json_set(settings, '$.restrictRoomCreationToAdministrators', json($restrict)),
       updated_at = $at
     WHERE id = 1`,
  ).run({ name: update.name ?? null, restrict: String(update.restrictRoomCreationToAdministrators), at: now() });
}

/** Administrators may always create open and closed rooms; others only while the account allows it. */
export function canCreateRooms(reads: Reads, user: User): boolean {
  return isAdministrator(user) || !findAccount(reads)?.settings.restrictRoomCreationToAdministrators;
}
