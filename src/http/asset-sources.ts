import htmx from "htmx.org/dist/htmx.min.js" with { type: "text" };
import htmxWebSocket from "htmx-ext-ws/dist/ws.min.js" with { type: "text" };
import trixCss from "trix/dist/trix.css" with { type: "text" };
import trix from "trix/dist/trix.umd.min.js" with { type: "text" };
import accountCss from "../../assets/css/account.css" with { type: "text" };
import baseCss from "../../assets/css/base.css" with { type: "text" };
import flashCss from "../../assets/css/flash.css" with { type: "text" };
import formsCss from "../../assets/css/forms.css" with { type: "text" };
import layoutCss from "../../assets/css/layout.css" with { type: "text" };
import linkPreviewCss from "../../assets/css/link-preview.css" with { type: "text" };
import messagesCss from "../../assets/css/messages.css" with { type: "text" };
import notificationsCss from "../../assets/css/notifications.css" with { type: "text" };
import peopleCss from "../../assets/css/people.css" with { type: "text" };
import roomCss from "../../assets/css/room.css" with { type: "text" };
import roomFormCss from "../../assets/css/room-form.css" with { type: "text" };
import searchCss from "../../assets/css/search.css" with { type: "text" };
import sidebarCss from "../../assets/css/sidebar.css" with { type: "text" };
import logoSvg from "../../assets/images/campfire.svg" with { type: "text" };
import { emojiShortcodes } from "../messages/emoji.ts";
import { bundleClient } from "./client-bundle.ts";

// What the browser is sent, joined into a few bundles. `bun src/main.ts` and the tests prepare them
// when the server loads (asset-table.ts); build.ts prepares them once, and the executable holds only
// the prepared files, so none of this text is in its memory.

/** The assets by the name the code asks for (assetPath). */
export const ASSET_NAMES = ["app.css", "htmx.js", "trix.js", "app.js", "campfire.svg", "emoji.json"] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

/** An asset ready to serve: its content-hashed name (browsers may cache it for a year), its bytes, and them gzipped. */
export type PreparedAsset = { name: AssetName; hashedName: string; body: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> };

async function assetTexts(minify: boolean): Promise<Record<AssetName, string>> {
  const css = [
    trixCss,
    baseCss,
    layoutCss,
    formsCss,
    flashCss,
    sidebarCss,
    roomCss,
    messagesCss,
    roomFormCss,
    searchCss,
    accountCss,
    peopleCss,
    linkPreviewCss,
    notificationsCss,
  ];
  return {
    "app.css": css.join("\n"),
    "htmx.js": `${htmx}\n${htmxWebSocket}`,
    // Only the room page loads Trix: it adds its <style> elements as soon as it runs, which needs the
    // page's nonce, and 200 KB is wasted on pages without a composer. (Its source map is not served.)
    "trix.js": trix.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, ""),
    "app.js": await bundleClient({ minify }),
    "campfire.svg": logoSvg,
    // For the composer's :shortcode: completion, fetched the first time someone types ":" (≈ 40 KB, 12 KB gzipped).
    "emoji.json": JSON.stringify(await emojiShortcodes()),
  };
}

export async function prepareAssets({ minify }: { minify: boolean }): Promise<PreparedAsset[]> {
  const texts = await assetTexts(minify);
  return ASSET_NAMES.map((name) => {
    const body = new TextEncoder().encode(texts[name]);
    const hash = Bun.hash(body).toString(36).slice(0, 10);
    const dot = name.lastIndexOf(".");
    return {
      name,
      hashedName: `${name.slice(0, dot)}-${hash}${name.slice(dot)}`,
      body,
      gzipped: Bun.gzipSync(body) as Uint8Array<ArrayBuffer>,
    };
  });
}
