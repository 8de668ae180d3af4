/**
 * The few facts a link preview shows, read from a page's <meta> tags (OpenGraph first, then the
 * plain <title> and description). A small scanner rather than a DOM library: only start tags in
 * the head matter, and the values come out as plain text, escaped when they are rendered.
 */
export type PageFacts = { title: string; description: string; image: URL | null };

// The original's cut-off for titles and descriptions.
export const MAX_TEXT_CHARS = 560;
// OpenGraph tags live in <head>; no page needs more than this much of it to say so.
const MAX_SCANNED_CHARS = 512 * 1024;

// Quoted values may hold a ">" (legal HTML), so they are skipped whole.
const META_TAG = /<meta\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([^\s"'=<>/]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const TITLE_TAG = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i;

/** null when the page gives no title, the one thing a card cannot do without. */
export function readPageFacts(html: string, pageUrl: URL): PageFacts | null {
  const head = headOf(html);
  const meta = new Map<string, string>();
  for (const [, attributes] of head.matchAll(META_TAG)) {
    const attrs = attributesOf(attributes!);
    const key = (attrs.get("property") ?? attrs.get("name"))?.toLowerCase();
    const content = attrs.get("content");
    if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
  }
  const title = text(meta.get("og:title") ?? head.match(TITLE_TAG)?.[1] ?? "");
  if (!title) return null;
  const description = text(meta.get("og:description") ?? meta.get("description") ?? "");
  return { title, description, image: imageUrl(meta.get("og:image"), pageUrl) };
}

function headOf(html: string): string {
  const scanned = html.slice(0, MAX_SCANNED_CHARS);
  // Markup inside comments and scripts is not the page's.
  const cleaned = scanned.replace(/<!--[\s\S]*?-->/g, "").replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "");
  const end = cleaned.search(/<\/head\s*>|<body\b/i);
  return end === -1 ? cleaned : cleaned.slice(0, end);
}

function attributesOf(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const [, name, double, single, bare] of source.matchAll(ATTRIBUTE)) {
    const key = name!.toLowerCase();
    if (!attrs.has(key)) attrs.set(key, decodeEntities(double ?? single ?? bare ?? ""));
  }
  return attrs;
}

/** Plain text: tags dropped, entities decoded, white space collapsed, cut to MAX_TEXT_CHARS. */
function text(value: string): string {
  const plain = decodeEntities(value.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > MAX_TEXT_CHARS ? `${plain.slice(0, MAX_TEXT_CHARS - 1)}…` : plain;
}

/** Only an absolute http(s) URL, resolved against the page (og:image is often relative in practice). */
function imageUrl(value: string | undefined, pageUrl: URL): URL | null {
  if (!value?.trim()) return null;
  try {
    const url = new URL(value.trim(), pageUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== "#") return NAMED[name.toLowerCase()] ?? entity;
    const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : "\uFFFD";
  });
}
