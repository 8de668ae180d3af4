// One emoji: a flag (two regional indicators), a keycap, or a pictograph with its variation
// selector, skin tone, tag sequence (subdivision flags) and zero-width-joined parts.
const PART = String.raw`\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?[\u{E0020}-\u{E007F}]*`;
const EMOJI = String.raw`(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|${PART}(?:\u200D${PART})*)`;
/** Shown large: a message of one to three emoji and nothing else (spaces between them allowed). */
const EMOJI_ONLY = new RegExp(String.raw`^\s*(?:${EMOJI}\s*){1,3}$`, "u");
// Three emoji of the longest kind (family sequences) fit in well under this many characters.
const LONGEST_EMOJI_ONLY = 40;

export const isEmojiOnly = (text: string): boolean => text.length <= LONGEST_EMOJI_ONLY && EMOJI_ONLY.test(text);

/**
 * `:shortcode:` → emoji for the composer's completion, from emojibase's GitHub-style shortcodes
 * (the ones people know from GitHub and Slack), as [shortcode, emoji] pairs sorted by shortcode.
 * Served as one JSON asset that the composer fetches the first time someone types ":". build.ts
 * makes it once for the executable, which then never loads emojibase's data (~1 MB of idle RSS).
 */
export async function emojiShortcodes(): Promise<[string, string][]> {
  const { default: githubShortcodes } = await import("emojibase-data/en/shortcodes/github.json", { with: { type: "json" } });
  const pairs: [string, string][] = [];
  for (const [hexcode, names] of Object.entries(githubShortcodes as Record<string, string | string[]>)) {
    let emoji = String.fromCodePoint(...hexcode.split("-").map((hex) => Number.parseInt(hex, 16)));
    // A lone text-style character (☀) needs the emoji variation selector to be drawn as an emoji.
    if (!/\p{Emoji_Presentation}|\u200D|\uFE0F/u.test(emoji) && [...emoji].length === 1) emoji += "\uFE0F";
    for (const name of typeof names === "string" ? [names] : names) pairs.push([name, emoji]);
  }
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
