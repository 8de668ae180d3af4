import type { Database } from "bun:sqlite";
import { createAccount } from "../accounts/accounts.ts";
import { createOpenRoom } from "../rooms/rooms.ts";
import { anyUsers, createUser, hashPassword, type User } from "../users/users.ts";

export const DEFAULT_ACCOUNT_NAME = "Campfire";
export const DEFAULT_ROOM_NAME = "All Talk";

export type FirstRunInput = { accountName?: string; name: string; emailAddress: string; password: string };

/**
 * Sets up an empty Campfire: the account, its first administrator and a room to talk in.
 * Returns null when someone got there first; the check and the writes share one transaction.
 */
export async function completeFirstRun(db: Database, input: FirstRunInput): Promise<User | null> {
  const passwordDigest = await hashPassword(input.password);
  return db
    .transaction(() => {
      if (anyUsers(db)) return null;
      createAccount(db, input.accountName || DEFAULT_ACCOUNT_NAME);
      const admin = createUser(db, { name: input.name, emailAddress: input.emailAddress, passwordDigest, role: "admin" });
      createOpenRoom(db, admin, DEFAULT_ROOM_NAME);
      return admin;
    })
    .immediate();
}
