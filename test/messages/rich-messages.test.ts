import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { RECIPES } from "../../assets/client/sound-recipes.ts";
import { SOUND_PICTURES } from "../../assets/images/sound-pictures.ts";
import { highlightCode } from "../../src/messages/code.ts";
import { isEmojiOnly } from "../../src/messages/emoji.ts";
import { editableText, formatRichText, formatText } from "../../src/messages/sanitize.ts";
import { playCommand } from "../../src/messages/sound-messages.ts";
import { SOUND_NAMES, SOUNDS } from "../../src/messages/sounds.ts";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, postMessage, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { openSocket } from "../helpers/socket.ts";

// FEATURES.md §1.8: the original's 56 names, and the 15 that show a picture.
const ORIGINAL_NAMES =
  "56k ballmer bell bezos bueller butts clowntown cottoneyejoe crickets curb dadgummit dangerzone danielsan deeper donotwant drama flawless glados gogogo greatjob greyjoy guarantee heygirl honk horn horror inconceivable letitgo live loggins makeitso noooo nyan ohmy ohyeah pushit rimshot rollout rumble sax secret sexyback story tada tmyk totes trololo trombone unix vuvuzela what whoomp wups yay yeah yodel".split(
    " ",
  );
const PICTURE_NAMES = "56k clowntown curb dangerzone deeper donotwant drama greatjob loggins nyan pushit rumble what yay yeah".split(" ");

describe("the /play catalogue", () => {
  test("has every sound name of the original, and only those", () => {
    expect(ORIGINAL_NAMES).toHaveLength(56);
    expect([...SOUND_NAMES].sort() as string[]).toEqual([...ORIGINAL_NAMES].sort());
  });

  test("shows a picture for the original's picture sounds and a line of text for the rest", () => {
    for (const name of SOUND_NAMES) {
      const sound = SOUNDS[name];
      expect(sound.kind).toBe(PICTURE_NAMES.includes(name) ? "picture" : "text");
      if (sound.kind === "picture") expect(SOUND_PICTURES[name]).toStartWith("<svg ");
      else expect(sound.text.trim()).not.toBe("");
    }
    expect(Object.keys(SOUND_PICTURES).sort()).toEqual([...PICTURE_NAMES].sort());
  });

  test("every sound has its own recipe of audible voices", () => {
    const recipes = new Set<string>();
    for (const name of SOUND_NAMES) {
      const voices = RECIPES[name];
      expect(voices.length).toBeGreaterThan(0);
      for (const voice of voices) {
        expect(voice.from).toBeGreaterThan(20);
        expect(voice.length).toBeGreaterThan(0);
        expect(voice.at + voice.length).toBeLessThanOrEqual(3);
      }
      recipes.add(JSON.stringify(voices));
    }
    expect(recipes.size).toBe(56);
  });

  test("/play with one known name is a command; more words after it are ordinary text", () => {
    expect(playCommand("/play tada")).toBe("tada");
    expect(playCommand("  /play   56k \n")).toBe("56k");
    expect(playCommand("/play TADA")).toBe("tada");
    expect(playCommand("/play")).toBe("unknown");
    expect(playCommand("/play kazoo")).toBe("unknown");
    expect(playCommand("/play tada for everyone")).toBeNull();
    expect(playCommand("/playtada")).toBeNull();
    expect(playCommand("let's /play tada")).toBeNull();
    expect(playCommand("/play constructor")).toBe("unknown");
  });
});

describe("code", () => {
  test("a fence that names its language is highlighted as that language, and editing gets the fence back", () => {
    const typed = "look:\n```ts\nconst a: number = 1 < 2;\n```\nok";
    const { html, plain } = formatText(typed);
    expect(html).toContain('<pre><code class="language-ts"><span class="hljs-keyword">const</span> <span class="hljs-attr">a</span>: ');
    expect(html).toContain("</span> &lt; <span");
    expect(plain).toBe("look:\nconst a: number = 1 < 2;\nok");
    expect(editableText(html)).toBe(typed);
    expect(formatText(editableText(html)).html).toBe(html);
  });

  test("an unnamed block is highlighted when the highlighter recognises it, and markup in it stays text", () => {
    const { html } = formatText("```\ndef greet(name):\n    return '<b>' + name\n```");
    expect(html).toStartWith('<pre><code><span class="hljs-keyword">def</span>');
    expect(html).toContain("&#x27;&lt;b&gt;&#x27;");
    expect(html).not.toContain("<b>");
  });

  test("a block too big or with a very long token is shown plain, so highlighting can't stall the server", () => {
    const long = `const x = "${"y".repeat(5000)}";`;
    const started = performance.now();
    expect(formatText(`\`\`\`java\n${long}\n\`\`\``).html).toBe(
      `<pre><code class="language-java">${long.replaceAll('"', "&quot;")}</code></pre>`,
    );
    expect(highlightCode("x".repeat(9999), "java")).toBe("x".repeat(9999));
    expect(performance.now() - started).toBeLessThan(50);
  });

  test("inline code stays monospaced code, not highlighted", () => {
    expect(formatText("run `npm test` now").html).toBe("run <code>npm test</code> now");
  });

  test("an editor's code block is highlighted too, and only the highlighter's classes survive the sanitizer", () => {
    const { html } = formatRichText(
      '<pre>SELECT name FROM users WHERE id = 1;</pre><span class="evil hljs-x">a</span><code class="language-js x">b</code>',
    );
    expect(html).toContain('<pre><span class="hljs-keyword">SELECT</span>');
    expect(html).toContain('<span class="hljs-x">a</span><code class="language-js">b</code>');
  });
});

describe("emoji", () => {
  test("one to three emoji and nothing else are shown large", () => {
    for (const text of ["👍", "🎉🎉🎉", "🇫🇷 🇩🇪", "👨‍👩‍👧‍👦", "👍🏽", "❤️", "1️⃣"]) expect(isEmojiOnly(text)).toBe(true);
    for (const text of ["🎉🎉🎉🎉", "hi 👍", "123", "#", "", "ok"]) expect(isEmojiOnly(text)).toBe(false);
    expect(formatText("  🔥🔥 ")).toEqual({ html: '<span class="emoji-only">🔥🔥</span>', plain: "🔥🔥" });
    expect(formatText("🔥 fire").html).toBe("🔥 fire");
    expect(editableText(formatText("🔥🔥").html)).toBe("🔥🔥");
  });
});

let server: TestServer;
let admin: Client;
let member: Client;
let third: Client;
let roomId: number;
beforeEach(async () => {
  let memberUser: User;
  ({ server, admin, member, memberUser, third } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

const messageCount = () => server.db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM messages WHERE room_id = ?").get(roomId)!.n;

describe("/play over HTTP", () => {
  test("a known sound is posted as its text with a play button, stored as the command for search and editing", async () => {
    const response = await postMessage(admin, roomId, "/play trombone");
    expect(response.status).toBe(201);
    const html = await response.text();
    expect(html).toContain('<div class="sound" data-sound="trombone"><button type="button" class="sound__play" data-play-sound="trombone"');
    expect(html).toContain('<span class="sound__text">🎺 plays a sad trombone</span>');
    const row = server.db.query<{ body_plain: string }, [number]>("SELECT body_plain FROM messages WHERE room_id = ?").get(roomId)!;
    expect(row.body_plain).toBe("/play trombone");
    const [id] = messageIdsIn(html);
    expect(await (await admin.get(`/rooms/${roomId}/messages/${id}/edit`)).text()).toContain(">/play trombone</textarea>");
  });

  test("a picture sound shows our own SVG, served to anyone at an address that never changes", async () => {
    const html = await (await postMessage(admin, roomId, "/play nyan")).text();
    expect(html).toContain('<img class="sound__picture" src="/assets/sounds/nyan.svg" alt="a rainbow cat" width="64" height="64">');
    const picture = await fetch(`${server.url}/assets/sounds/nyan.svg`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/svg+xml");
    expect(await picture.text()).toStartWith("<svg ");
    expect((await fetch(`${server.url}/assets/sounds/tada.svg`)).status).toBe(404);
  });

  test("/play alone or an unknown name is refused with the list of sounds, and nothing is posted", async () => {
    for (const [body, start] of [
      ["/play", "Say which sound to play."],
      ["/play kazoo", "There is no sound called “kazoo”."],
    ]) {
      const response = await postMessage(admin, roomId, body!);
      expect(response.status).toBe(422);
      const text = await response.text();
      expect(text).toContain(start!);
      for (const name of ORIGINAL_NAMES) expect(text).toContain(name);
    }
    const json = await admin.request(`/rooms/${roomId}/messages`, { form: { body: "/play" }, headers: { accept: "application/json" } });
    expect(json.status).toBe(422);
    expect(((await json.json()) as { error: string }).error).toContain("yodel");
    const long = await postMessage(admin, roomId, `/play ${"x".repeat(5000)}`);
    expect(long.status).toBe(422);
    expect(await long.text()).toContain(`“${"x".repeat(30)}…”`);
    const markup = await postMessage(admin, roomId, "/play <script>alert(1)</script>");
    expect(markup.status).toBe(422);
    expect(await markup.text()).toContain("“&lt;script&gt;alert(1)&lt;/script&gt;”");
    expect(messageCount()).toBe(0);
  });

  test("a message that merely starts with /play, or a sound in an editor's markup, is read as it should be", async () => {
    expect(await (await postMessage(admin, roomId, "/play tada for the release")).text()).toContain(
      '<div class="message__body">/play tada for the release</div>',
    );
    expect(formatRichText("<div>/play tada</div>").plain).toBe("/play tada");
    expect(playCommand(formatRichText("<div>/play tada</div>").plain)).toBe("tada");
  });

  test("a sound reaches the room live; a tab catching up gets it marked as history", async () => {
    const socket = await openSocket(server, member);
    await socket.enter(roomId);
    await postMessage(admin, roomId, "/play tada");
    const live = await socket.waitFor((frame) => frame.includes('data-sound="tada"'));
    expect(live).not.toContain("data-catch-up");
    socket.close();
    const later = await openSocket(server, member);
    await later.enter(roomId, 0);
    const missed = await later.waitFor((frame) => frame.includes('data-sound="tada"'));
    expect(missed).toStartWith('<template data-frame="messages" data-room-id="' + roomId + '" data-catch-up="true">');
    later.close();
  });

  test("an outsider can't play into a room they are not in", async () => {
    expect((await postMessage(third, roomId, "/play tada")).status).toBe(404);
    expect(messageCount()).toBe(0);
  });
});

describe("muting sounds", () => {
  test("is a person's own setting, switched from the sidebar and shown to the page's script", async () => {
    expect(await (await member.get(`/rooms/${roomId}`)).text()).toContain('data-sounds-muted="false"');
    const response = await member.request("/users/me/sounds", {
      method: "PATCH",
      form: { muted: "true" },
      headers: { "HX-Request": "true" },
    });
    expect(response.status).toBe(200);
    const toggle = await response.text();
    expect(toggle).toContain('data-muted="true"');
    expect(toggle).toContain('name="muted" value="false"');
    expect(await (await member.get(`/rooms/${roomId}`)).text()).toContain('data-sounds-muted="true"');
    // Someone else's setting is untouched.
    expect(await (await admin.get(`/rooms/${roomId}`)).text()).toContain('data-sounds-muted="false"');
  });

  test("refuses a value that is not true or false, and strangers", async () => {
    const bad = await member.request("/users/me/sounds", { method: "PATCH", form: { muted: "maybe" }, headers: { "HX-Request": "true" } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("muted must be true or false.");
    const stranger = await fetch(`${server.url}/users/me/sounds`, {
      method: "PATCH",
      body: new URLSearchParams({ muted: "true" }),
      headers: { origin: server.url, "HX-Request": "true" },
    });
    expect(stranger.status).toBe(401);
  });
});

describe("big emoji and code over HTTP", () => {
  test("an emoji-only message is stored with the class that shows it large", async () => {
    expect(await (await postMessage(admin, roomId, "🎉")).text()).toContain(
      '<div class="message__body"><span class="emoji-only">🎉</span></div>',
    );
  });

  test("the composer's emoji shortcodes come from emojibase, as one cacheable asset", async () => {
    const page = await (await admin.get(`/rooms/${roomId}`)).text();
    const src = /data-emoji-src="([^"]+)"/.exec(page)![1]!;
    const response = await fetch(server.url + src);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toContain("immutable");
    const pairs = (await response.json()) as [string, string][];
    expect(pairs.length).toBeGreaterThan(1500);
    expect(pairs).toContainEqual(["tada", "🎉"]);
    expect(pairs).toContainEqual(["+1", "👍"]);
  });
});
