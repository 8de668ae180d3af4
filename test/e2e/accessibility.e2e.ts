import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { findAccount } from "../../src/accounts/accounts.ts";
import { addBoost } from "../../src/messages/boosts.ts";
import { findMessage } from "../../src/messages/messages.ts";
import { postMessage } from "../../src/messages/receive.ts";
import { createClosedRoom, findOrCreateDirectRoom, findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { launchBrowser, step, watchPage } from "./browser.ts";

// The sweep: every page reachable today, at both widths, in both colour schemes, as a visitor, a
// member and an administrator, with the menus and lists that open over a page opened too.
// A new page is one more row in PAGES.

const AXE_SOURCE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const WIDTHS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

type Who = "visitor" | "member" | "admin";
type Places = { joinCode: string; closedRoom: number; directRoom: number; miloMessage: number; adaMessage: number };
type Row = {
  name: string;
  who: Who[];
  path: (places: Places) => string;
  /** What to open on the page before checking it (a menu, a list, an editor). */
  open?: (page: Page, places: Places) => Promise<void>;
  /** On a fresh server, before anyone has set it up. */
  fresh?: boolean;
  only?: keyof typeof WIDTHS;
};

const SIGNED_IN: Who[] = ["member", "admin"];
const messageIn = (page: Page, id: number) => page.locator(`#message_${id}`);

const PAGES: Row[] = [
  { name: "first run", who: ["visitor"], path: () => "/first_run", fresh: true },
  { name: "sign in", who: ["visitor"], path: () => "/session/new" },
  { name: "join", who: ["visitor"], path: (p) => `/join/${p.joinCode}` },
  { name: "join with a stale link", who: ["visitor"], path: () => "/join/gone-gone-gone" },
  { name: "open room", who: SIGNED_IN, path: () => "/rooms/1" },
  { name: "closed room", who: SIGNED_IN, path: (p) => `/rooms/${p.closedRoom}` },
  { name: "direct room", who: SIGNED_IN, path: (p) => `/rooms/${p.directRoom}` },
  { name: "a message's permalink", who: SIGNED_IN, path: (p) => `/rooms/1/@${p.adaMessage}` },
  {
    name: "room with the involvement menu open",
    who: SIGNED_IN,
    path: () => "/rooms/1",
    open: async (page) => {
      await page.locator(".involvement__summary").click();
      await page.locator(".involvement__menu").waitFor();
    },
  },
  {
    name: "room with a message's actions (boost picker) open",
    who: SIGNED_IN,
    path: () => "/rooms/1",
    open: async (page, p) => {
      await messageIn(page, p.adaMessage).hover();
      await page.locator("[data-message-actions]:not([hidden])").waitFor();
    },
  },
  {
    name: "room with the mention list open",
    who: SIGNED_IN,
    path: () => "/rooms/1",
    open: async (page) => {
      await page.locator("#composer_body").pressSequentially("Hi @");
      await page.locator("[data-mention-list]:not([hidden]) [role=option]").first().waitFor();
    },
  },
  {
    name: "room with the emoji list open",
    who: SIGNED_IN,
    path: () => "/rooms/1",
    open: async (page) => {
      await page.locator("#composer_body").pressSequentially("Yes :smil");
      await page.locator("[data-emoji-list]:not([hidden]) [role=option]").first().waitFor();
    },
  },
  {
    name: "room with a message being edited",
    who: ["admin"],
    path: () => "/rooms/1",
    open: async (page, p) => {
      await messageIn(page, p.adaMessage).hover();
      await page.locator("[data-message-edit]").click();
      await page.locator("form.message--editing textarea").waitFor();
    },
  },
  {
    name: "room with the rooms drawer open",
    who: SIGNED_IN,
    only: "phone",
    path: () => "/rooms/1",
    open: async (page) => {
      await page.locator("[data-sidebar-toggle]").click();
      await page.waitForFunction(() => document.querySelector(".sidebar")!.getBoundingClientRect().x >= 0);
    },
  },
  {
    name: "room with the jump-to dialog open (Ctrl+K)",
    who: SIGNED_IN,
    path: () => "/rooms/1",
    open: async (page) => {
      await page.keyboard.press("Control+k");
      await page.locator(".jump__input").pressSequentially("Pl");
      await page.locator(".jump__entry").first().waitFor();
    },
  },
  { name: "new room", who: SIGNED_IN, path: () => "/rooms/new" },
  {
    name: "new closed room with the people picker open",
    who: SIGNED_IN,
    path: () => "/rooms/new?kind=closed",
    open: async (page) => {
      await page.locator("[data-picker-search]").focus();
      await page.locator("[data-picker-results] [role=option]").first().waitFor();
    },
  },
  { name: "new direct message", who: SIGNED_IN, path: () => "/rooms/directs/new" },
  { name: "open room settings", who: SIGNED_IN, path: () => "/rooms/1/edit" },
  { name: "closed room settings", who: SIGNED_IN, path: (p) => `/rooms/${p.closedRoom}/edit` },
  { name: "direct room settings", who: SIGNED_IN, path: (p) => `/rooms/${p.directRoom}/edit` },
  { name: "hidden rooms", who: SIGNED_IN, path: () => "/rooms/hidden" },
  { name: "search, no query", who: SIGNED_IN, path: () => "/searches" },
  { name: "search results", who: SIGNED_IN, path: () => "/searches?q=plan" },
  { name: "search with no results", who: SIGNED_IN, path: () => "/searches?q=zebra" },
  { name: "profile", who: SIGNED_IN, path: () => "/profile" },
  { name: "account", who: SIGNED_IN, path: () => "/account" },
  { name: "a person's page", who: SIGNED_IN, path: () => "/users/2" },
  { name: "audit log", who: ["admin"], path: () => "/account/audit" },
  { name: "bots", who: ["admin"], path: () => "/account/bots" },
  { name: "custom CSS", who: ["admin"], path: () => "/account/custom_styles" },
  { name: "not found", who: SIGNED_IN, path: () => "/rooms/999999" },
];

let server: TestServer;
let freshServer: TestServer;
let browser: Browser;
let places: Places;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  freshServer = startTestServer();
  await addMember(server);
  const ada = findUser(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  const closed = createClosedRoom(server.db, ada, "Planning", [ada.id, milo.id]);
  const { room: direct } = findOrCreateDirectRoom(server.db, ada, [milo.id]);
  const allTalk = findRoom(server.db, 1)!;
  const post = async (who: typeof ada, body: string) => {
    const posted = await postMessage(server.ctx, who, allTalk, { body, clientMessageId: crypto.randomUUID() });
    if (typeof posted === "string") throw new Error(posted);
    return posted.message;
  };
  const first = await post(ada, "The plan for the week is in the doc: https://example.com/plan");
  const second = await post(milo, "Thanks @Ada Admin, **looks good**");
  await post(ada, "```\nconst plan = 'ship';\n```");
  addBoost(server.db, findMessage(server.db, 1, first.id)!, milo, "👍");
  server.ctx.cache.messagesChanged(1);
  await postMessage(server.ctx, ada, findRoom(server.db, closed.id)!, { body: "Closed plan", clientMessageId: "c1" });
  await postMessage(server.ctx, milo, findRoom(server.db, direct.id)!, { body: "Direct plan", clientMessageId: "d1" });
  places = {
    joinCode: findAccount(server.ctx)!.joinCode,
    closedRoom: closed.id,
    directRoom: direct.id,
    adaMessage: first.id,
    miloMessage: second.id,
  };
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await freshServer?.close();
});

type Violation = { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] };

/**
 * axe-core in the page. The strict CSP refuses an inline <script>, so the source is evaluated over
 * the DevTools protocol instead (which the page's CSP does not govern); nothing about the page changes.
 */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe
        .run(document, { runOnly: { type: "tag", values: tags } })
        .then((r) => r.violations),
    RULES,
  )) as Violation[];
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(" ")}: ${n.failureSummary}`));
}

async function contextAs(who: Who, width: keyof typeof WIDTHS, colorScheme: "light" | "dark"): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: WIDTHS[width], colorScheme, hasTouch: width === "phone" });
  if (who === "visitor") return context;
  const person = who === "admin" ? ADMIN : MEMBER;
  const { client } = await signIn(server, person.email, person.password);
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  return context;
}

async function sweep(width: keyof typeof WIDTHS, colorScheme: "light" | "dark"): Promise<void> {
  const found: Record<string, string[]> = {};
  for (const who of ["visitor", "member", "admin"] as const) {
    const context = await contextAs(who, width, colorScheme);
    const page = await context.newPage();
    const problems = watchPage(page);
    for (const row of PAGES) {
      if (!row.who.includes(who) || (row.only && row.only !== width)) continue;
      const url = (row.fresh ? freshServer.url : server.url) + row.path(places);
      await step(page, problems, `${row.name} as ${who}`, async () => {
        await page.goto(url);
        await page.waitForLoadState("load");
        await row.open?.(page, places);
      });
      const list = await violations(page);
      if (list.length > 0) found[`${row.name} as ${who}`] = list;
    }
    await context.close();
  }
  expect(found).toEqual({});
}

for (const width of ["desktop", "phone"] as const)
  for (const colorScheme of ["light", "dark"] as const)
    test(
      `axe finds nothing on any page at ${width} width in ${colorScheme} mode, as visitor, member and admin`,
      () => sweep(width, colorScheme),
      240_000,
    );

/**
 * Tabs through the page and, at each stop, reads the focus ring: solid, at least 2 px, and at
 * least 3:1 against the background it is drawn on (the ring sits outside the control, so that is
 * the parent's). The composer's field draws its ring on the whole composer.
 */
async function weakRings(page: Page, stops: number): Promise<string[]> {
  const weak: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    const problem = await page.evaluate(() => {
      const parse = (value: string): [number, number, number, number] => {
        const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)/.exec(value);
        if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
        const rgb = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/.exec(value);
        if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
        throw new Error(`unreadable colour ${value}`);
      };
      // The colour behind an element: its ancestors' backgrounds, composited from the page up.
      const backgroundOf = (element: Element | null): [number, number, number] => {
        const layers: [number, number, number, number][] = [];
        for (let e = element; e; e = e.parentElement) {
          const layer = parse(getComputedStyle(e).backgroundColor);
          if (layer[3] > 0) layers.push(layer);
          if (layer[3] === 1) break;
        }
        let colour: [number, number, number] = [255, 255, 255];
        for (const [r, g, b, a] of layers.reverse())
          colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
        return colour;
      };
      const luminance = ([r, g, b]: number[]) => {
        const [R, G, B] = [r!, g!, b!].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
      };
      const focused = document.activeElement as HTMLElement | null;
      if (!focused || focused === document.body) return null;
      let ringed: HTMLElement | null = focused;
      while (ringed && getComputedStyle(ringed).outlineStyle === "none" && ringed !== focused.parentElement?.parentElement)
        ringed = ringed.parentElement;
      const name = `${focused.tagName.toLowerCase()}.${[...focused.classList].join(".")} "${(focused.getAttribute("aria-label") ?? focused.textContent ?? "").trim().slice(0, 30)}"`;
      const style = ringed && getComputedStyle(ringed);
      if (!ringed || !style || style.outlineStyle !== "solid" || Number.parseFloat(style.outlineWidth) < 2)
        return `${name}: no solid ring of 2 px (${style?.outlineStyle} ${style?.outlineWidth})`;
      const ring = parse(style.outlineColor);
      const behind = backgroundOf(Number.parseFloat(style.outlineOffset) >= 0 ? ringed.parentElement : ringed);
      const [light, dark] = [luminance(ring), luminance(behind)].sort((a, b) => b - a);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      return ratio < 3 ? `${name}: ring ${style.outlineColor} on rgb(${behind.map(Math.round).join(" ")}) is ${ratio.toFixed(2)}:1` : null;
    });
    if (problem && !weak.includes(problem)) weak.push(problem);
  }
  return weak;
}

for (const colorScheme of ["light", "dark"] as const)
  test(`every focus ring is solid and at least 3:1 against what is behind it, ${colorScheme} mode`, async () => {
    const found: Record<string, string[]> = {};
    for (const width of ["desktop", "phone"] as const) {
      const context = await contextAs("admin", width, colorScheme);
      const page = await context.newPage();
      for (const path of [`/rooms/1/@${places.adaMessage}`, "/rooms/new?kind=closed", "/searches?q=plan", "/account", "/profile"]) {
        await page.goto(server.url + path);
        await page.waitForLoadState("load");
        await page.evaluate(() => {
          document.body.tabIndex = -1;
          document.body.focus();
          document.body.removeAttribute("tabindex");
        });
        const weak = await weakRings(page, 40);
        if (weak.length > 0) found[`${path} at ${width} width`] = weak;
      }
      // The drawer's links, on the dark sidebar.
      if (width === "phone") {
        await page.goto(`${server.url}/rooms/1`);
        await page.locator("[data-sidebar-toggle]").click();
        await page.waitForFunction(() => !(document.querySelector("nav.sidebar") as HTMLElement).inert);
        const weak = await weakRings(page, 12);
        if (weak.length > 0) found["the drawer"] = weak;
      }
      await context.close();
    }
    expect(found).toEqual({});
  }, 120_000);
