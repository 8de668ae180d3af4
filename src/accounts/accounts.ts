import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";

export type AccountSettings = { restrictRoomCreationToAdministrators: boolean };
export type Account = { id: number; name: string; joinCode: string; customStyles: string; settings: AccountSettings };

const DEFAULT_SETTINGS: AccountSettings = { restrictRoomCreationToAdministrators: false };
const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

type AccountRow = { id: number; name: string; join_code: string; custom_styles: string; settings: string };

/** Three groups of four characters, like `Xk3p-9aQm-T2wz`; long enough not to be guessed. */
export function generateJoinCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = Array.from(bytes, (b) => JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join("")).join("-");
}

export function findAccount(db: Database): Account | null {
  const row = db
    .query<AccountRow, []>("SELECT id, name, join_code, custom_styles, settings FROM accounts WHERE id = 1")
    .get();
  return row
    ? {
        id: row.id,
        name: row.name,
        joinCode: row.join_code,
        customStyles: row.custom_styles,
        settings: { ...DEFAULT_SETTINGS, ...JSON.parse(row.settings) },
      }
    : null;
}

export function createAccount(db: Database, name: string): void {
  const at = now();
  db.query(
    "INSERT INTO accounts (id, name, join_code, settings, created_at, updated_at) VALUES (1, $name, $joinCode, $settings, $at, $at)",
  ).run({ name, joinCode: generateJoinCode(), settings: JSON.stringify(DEFAULT_SETTINGS), at });
}
