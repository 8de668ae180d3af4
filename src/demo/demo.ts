// `campfire demo`: a throwaway Campfire with a team (and their deploy bot) and a day of conversation already in it, and
// one-click sign-in buttons (demo-routes.tsx). The buttons exist only when the server was started
// by this command: `config.demo` is never read from the environment or an option.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBot } from "../bots/bots.ts";
import { completeFirstRun } from "../first-run/first-run.ts";
import type { AppContext } from "../http/env.ts";
import { ReceivedFile } from "../http/multipart.ts";
import { boostMessage, postMessage } from "../messages/receive.ts";
import { createClosedRoom, createOpenRoom, findOrCreateDirectRoom, findRoom, type Room } from "../rooms/rooms.ts";
import { createUser, hashPassword, type User } from "../users/users.ts";
import { demoPicture } from "./picture.ts";
import { DEMO_BOT, DEMO_DAY, DEMO_PEOPLE, DEMO_ROOMS, type PersonKey, type RoomKey } from "./team.ts";

/** The picture as an upload would arrive: whole on disk, to be moved into place by postMessage. */
async function pictureUpload(dataDir: string, name: string): Promise<ReceivedFile> {
  const path = join(dataDir, "incoming", `demo-${name}`);
  const bytes = demoPicture();
  await Bun.write(path, bytes);
  return new ReceivedFile(path, name, "image/png", bytes.byteLength);
}

export const demoDataDir = (): string => mkdtempSync(join(tmpdir(), "campfire-demo-"));

const MINUTE = 60_000;

/** Fills an empty Campfire with the demo team and their day, which ends a few minutes ago. */
export async function seedDemo(ctx: AppContext): Promise<void> {
  // Nobody signs in with a password in the demo; a random one keeps the accounts closed anyway.
  const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
  const [admin, ...others] = DEMO_PEOPLE;
  const email = (key: string) => `${key}@demo.campfire.invalid`;
  const first = await completeFirstRun(ctx.db, {
    accountName: "Lakeside Labs",
    name: admin.name,
    emailAddress: email(admin.key),
    password,
  });
  if (!first) throw new Error("the demo needs an empty data directory");
  const digest = await hashPassword(password);
  const people = new Map<PersonKey, User>([[admin.key, first]]);
  for (const person of others)
    people.set(
      person.key,
      createUser(ctx.db, { name: person.name, emailAddress: email(person.key), passwordDigest: digest, role: person.role }),
    );
  const who = (key: PersonKey) => people.get(key)!;

  const rooms = new Map<RoomKey, Room>();
  for (const room of DEMO_ROOMS) {
    const members = (room.people ?? []).map((key) => who(key).id);
    if (room.key === "all") rooms.set(room.key, findRoom(ctx.db, 1)!);
    else if (room.kind === "open") rooms.set(room.key, createOpenRoom(ctx.db, first, room.name));
    else if (room.kind === "closed") rooms.set(room.key, createClosedRoom(ctx.db, first, room.name, members));
    else rooms.set(room.key, findOrCreateDirectRoom(ctx.db, first, members).room);
  }

  // After the rooms, so it joins the open ones as any bot does.
  people.set(DEMO_BOT.key, createBot(ctx.db, { name: DEMO_BOT.name, webhookUrl: null }));

  const start = Date.now() - (DEMO_DAY.at(-1)!.at + 5) * MINUTE;
  for (const [i, line] of DEMO_DAY.entries()) {
    const file = line.picture ? await pictureUpload(ctx.config.dataDir, line.picture) : undefined;
    const posted = await postMessage(ctx, who(line.who), rooms.get(line.room)!, {
      body: line.text,
      rich: line.rich,
      clientMessageId: `demo-${i}`,
      at: start + line.at * MINUTE,
      file,
    });
    if (typeof posted === "string") throw new Error(`demo line ${i}: ${posted}`);
    for (const [booster, emoji] of line.boosts ?? []) boostMessage(ctx, who(booster), posted.message, emoji);
  }
}
