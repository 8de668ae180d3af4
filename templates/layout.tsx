/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { FC, PropsWithChildren } from "hono/jsx";
import { assetPath } from "../src/http/assets.ts";
import { escapeHtml } from "../src/messages/sanitize.ts";
import type { User } from "../src/users/users.ts";
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

// Everything in the head but the title is the same on every page: built once, not per request.
let head: string | undefined;
const staticHead = (): string =>
  (head ??=
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover, interactive-widget=resizes-content">' +
    `<meta name="color-scheme" content="light dark"><meta name="htmx-config" content="${escapeHtml(HTMX_CONFIG)}">` +
    `<link rel="icon" type="image/svg+xml" href="${assetPath("campfire.svg")}"><link rel="stylesheet" href="${assetPath("app.css")}">` +
    `<script src="${assetPath("htmx.js")}" defer></script><script src="${assetPath("app.js")}" defer></script>`);

type LayoutProps = PropsWithChildren<{
  title: string;
  bodyClass?: string;
  user?: Pick<User, "id" | "name" | "role" | "soundsMuted">;
  notice?: string;
  /** On pages with the rich-text editor: the request's CSP nonce, which Trix gives the <style> elements it adds. */
  nonce?: string;
}>;

export const Layout: FC<LayoutProps> = ({ title, bodyClass, user, notice, nonce, children }) => (
  <>
    {raw("<!DOCTYPE html>")}
    <html lang="en">
      <head>
        {raw(staticHead())}
        {nonce && (
          <>
            <meta name="csp-nonce" content={nonce} />
            <script src={assetPath("trix.js")} defer></script>
          </>
        )}
        <title>{title}</title>
      </head>
      <body
        class={bodyClass}
        data-user-id={user?.id}
        data-user-name={user?.name}
        data-user-role={user?.role}
        data-sounds-muted={user ? String(user.soundsMuted === 1) : undefined}
      >
        <div id="flash" class="flash" aria-live="polite">
          {notice ? <Flash kind="notice" message={notice} /> : null}
        </div>
        {children}
      </body>
    </html>
  </>
);
