/** @jsxImportSource hono/jsx */
import type { FC, PropsWithChildren } from "hono/jsx";
import { accountIconUrl, brandingKey, customStylesUrl } from "../src/accounts/branding.ts";
import { assetPath } from "../src/http/assets.ts";
import { escapeHtml } from "../src/messages/sanitize.ts";
import { appIconPath } from "../src/pwa/icons.ts";
import type { User } from "../src/users/users.ts";
import { flatText, Html, html, inJsx } from "./html.ts";
import { renderToString } from "./render.ts";
import { Flash } from "./shared/flash.tsx";

// htmx runs under a strict CSP: no eval, no injected <style>, and 4xx answers (a form with its
// error, a refusal) are swapped in like any other answer instead of being dropped.
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true },
    { code: "5..", swap: true, error: true },
  ],
});

// Everything in the head but the title is the same on every page: built once per look of the
// account (its logo and custom stylesheet), not per request, and kept flat (`flatText`).
let head: { key: string; html: Html } | undefined;
function staticHead(): Html {
  const key = brandingKey();
  if (head?.key === key) return head.html;
  const customStyles = customStylesUrl();
  const icon = key.startsWith("null|")
    ? `<link rel="icon" type="image/svg+xml" href="${assetPath("campfire.svg")}"><link rel="apple-touch-icon" href="${appIconPath(192)}">`
    : `<link rel="icon" type="image/png" href="${escapeHtml(accountIconUrl(192))}"><link rel="apple-touch-icon" href="${escapeHtml(accountIconUrl(512))}">`;
  const html =
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover, interactive-widget=resizes-content">' +
    `<meta name="color-scheme" content="light dark"><meta name="htmx-config" content="${escapeHtml(HTMX_CONFIG)}">` +
    `${icon}<link rel="stylesheet" href="${assetPath("app.css")}">` +
    '<link rel="manifest" href="/webmanifest"><meta name="theme-color" content="#ffffff">' +
    // After the app's own, so the account's rules win; a URL, never inline (the CSP allows no inline styles).
    (customStyles ? `<link rel="stylesheet" href="${escapeHtml(customStyles)}">` : "") +
    `<script src="${assetPath("htmx.js")}" defer></script><script src="${assetPath("app.js")}" defer></script>`;
  head = { key, html: new Html(flatText(html)) };
  return head.html;
}

export type LayoutOptions = {
  title: string;
  bodyClass?: string;
  user?: Pick<User, "id" | "name" | "role" | "soundsMuted">;
  notice?: string;
  /** A stylesheet for this page only, after the others (the custom CSS preview's draft). */
  stylesheet?: string;
  /** On pages with the rich-text editor: the request's CSP nonce, which Trix gives the <style> elements it adds. */
  nonce?: string;
};

/**
 * The document around a page's content. Built with the escaping `html` template, not JSX: every
 * page has one, and as JSX it cost about as much as the room page's sidebar and column together.
 */
export const layoutHtml = (options: LayoutOptions, content: Html): Html => html`${layoutStartHtml(options)}${content}${LAYOUT_END}`;

/** The document up to its content: for a page sent in parts (the room page). */
export function layoutStartHtml({ title, bodyClass, user, notice, nonce, stylesheet }: LayoutOptions): Html {
  return html`<!DOCTYPE html><html lang="en"><head>${staticHead()}${stylesheet && html`<link rel="stylesheet" href="${stylesheet}">`}${
    nonce && html`<meta name="csp-nonce" content="${nonce}"><script src="${assetPath("trix.js")}" defer></script>`
  }<title>${title}</title></head><body${bodyClass && html` class="${bodyClass}"`}${
    user &&
    html` data-user-id="${user.id}" data-user-name="${user.name}" data-user-role="${user.role}" data-sounds-muted="${String(user.soundsMuted === 1)}"`
  }><div id="flash" class="flash" aria-live="polite">${notice && new Html(renderToString(<Flash kind="notice" message={notice} />))}</div>`;
}

export const LAYOUT_END = html`</body></html>`;

/** The layout for pages written in JSX: their content is rendered first, then set in the document. */
export const Layout: FC<PropsWithChildren<LayoutOptions>> = ({ children, ...options }) =>
  // biome-ignore lint/complexity/noUselessFragments: several children are an array, which renders as one string only inside a fragment
  inJsx(layoutHtml(options, new Html(renderToString(<>{children}</>))));
