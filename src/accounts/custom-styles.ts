import type { Database } from "bun:sqlite";
import { type Actor, recordAdminAction } from "../audit/audit-log.ts";
import { now } from "../db/time.ts";

export const MAX_CUSTOM_STYLES_CHARS = 100_000;

/**
 * What the stylesheet may not hold. It is served as its own file (never inside a page), so it
 * can't break out of a <style>; still, text that only makes sense as an escape attempt is refused,
 * and so is anything that would load from elsewhere (the CSP would block it anyway, silently).
 */
const REFUSED: readonly [RegExp, string][] = [
  [/<\/?style/i, "The CSS can't contain <style> tags: write the rules only."],
  [/<\s*\/?\s*script/i, "The CSS can't contain <script> tags."],
  [/url\(\s*["']?\s*(https?:|\/\/)/i, "url() can only point at this Campfire: files elsewhere would be blocked by the browser."],
  [/expression\s*\(|javascript:|behavior\s*:|-moz-binding/i, "That CSS would try to run code, which browsers refuse."],
];

// What an @import loads, quoted or in url(), as written.
const IMPORT = /@import\s*(?:url\(\s*)?["']?\s*([^"')\s;]*)/gi;

/** A reason the CSS can't be used, or null when it is fine. */
export function customStylesProblem(css: string): string | null {
  if (css.length > MAX_CUSTOM_STYLES_CHARS) return `The CSS can be at most ${MAX_CUSTOM_STYLES_CHARS.toLocaleString("en")} characters.`;
  for (const [pattern, reason] of REFUSED) if (pattern.test(css)) return reason;
  for (const [, target] of css.matchAll(IMPORT))
    if (!target?.startsWith("/") || target.startsWith("//"))
      return "@import can only load stylesheets from this Campfire (a path starting with /).";
  return null;
}

/** Keeps CSS to preview without serving it to everyone. The caller tells the read cache. */
export function saveCustomStylesDraft(db: Database, css: string): void {
  db.query("UPDATE accounts SET custom_styles_draft = ?, updated_at = ? WHERE id = 1").run(css, now());
}

/** Serves the CSS to everyone from now on (and drops the draft). The caller tells the read cache. */
export function publishCustomStyles(db: Database, actor: Actor, css: string): void {
  db.transaction(() => {
    db.query("UPDATE accounts SET custom_styles = ?, custom_styles_draft = NULL, updated_at = ? WHERE id = 1").run(css, now());
    recordAdminAction(db, { actorId: actor.user.id, action: "custom_styles_changed", details: { characters: css.length }, ip: actor.ip });
  })();
}
