// The demo's team and their day, written for the demo: a small product team shipping a release.
export const DEMO_PEOPLE = [
  { key: "ada", name: "Ada Park", role: "admin", title: "runs the team" },
  { key: "milo", name: "Milo Chen", role: "member", title: "backend" },
  { key: "priya", name: "Priya Raman", role: "member", title: "design" },
  { key: "jonas", name: "Jonas Weber", role: "member", title: "support" },
  { key: "sofia", name: "Sofia Alvarez", role: "member", title: "frontend" },
] as const;

/** A bot posting through the bot API, as a team's CI would. */
export const DEMO_BOT = { key: "deploybot", name: "Deploy Bot" } as const;

export type PersonKey = (typeof DEMO_PEOPLE)[number]["key"] | typeof DEMO_BOT.key;
export type RoomKey = "all" | "design" | "releases" | "ada-milo";

export const DEMO_ROOMS: { key: RoomKey; name: string; kind: "open" | "closed" | "direct"; people?: PersonKey[] }[] = [
  { key: "all", name: "All Talk", kind: "open" },
  { key: "releases", name: "Releases", kind: "open" },
  { key: "design", name: "Design", kind: "closed", people: ["ada", "priya", "sofia"] },
  { key: "ada-milo", name: "", kind: "direct", people: ["ada", "milo"] },
];

export type Line = {
  room: RoomKey;
  who: PersonKey;
  /** Minutes after the day's first message. */
  at: number;
  text: string;
  rich?: boolean;
  boosts?: [PersonKey, string][];
  picture?: string;
};

export const DEMO_DAY: Line[] = [
  { room: "all", who: "ada", at: 0, text: "Good morning, everyone! Release day for 2.4 ☀️" },
  { room: "all", who: "milo", at: 3, text: "Morning! Migrations ran clean on staging overnight.", boosts: [["ada", "👍"]] },
  { room: "all", who: "priya", at: 5, text: "Morning 👋 coffee first, then the changelog art." },
  {
    room: "all",
    who: "jonas",
    at: 9,
    text: "Two tickets about the export button came in overnight. @Sofia Alvarez is that the bug you fixed on Friday?",
  },
  { room: "all", who: "sofia", at: 12, text: "Yes, that's the one. The fix ships today, so I'll answer both once it's out." },
  { room: "all", who: "jonas", at: 13, text: "Perfect, thanks!", boosts: [["sofia", "🙌"]] },
  { room: "releases", who: "milo", at: 20, text: "Release checklist for 2.4, so nothing gets forgotten:" },
  {
    room: "releases",
    who: "milo",
    at: 21,
    text: "<div><strong>2.4 checklist</strong></div><ul><li>Freeze main at noon</li><li>Run the full suite on the release branch</li><li>Tag, build, upload</li><li>Post the changelog</li></ul>",
    rich: true,
  },
  { room: "design", who: "priya", at: 30, text: "First pass at the release banner. Too orange?" },
  {
    room: "design",
    who: "priya",
    at: 31,
    text: "",
    picture: "banner-draft.png",
    boosts: [
      ["sofia", "😍"],
      ["ada", "🔥"],
    ],
  },
  { room: "design", who: "sofia", at: 34, text: "Not too orange at all. Maybe a touch more contrast on the title?" },
  { room: "design", who: "ada", at: 36, text: "Love it. @Priya Raman ship it with Sofia's tweak." },
  { room: "design", who: "priya", at: 40, text: "On it ✏️" },
  { room: "ada-milo", who: "ada", at: 45, text: "Do you need anything from me before the freeze?" },
  { room: "ada-milo", who: "milo", at: 47, text: "Just a second pair of eyes on the migration PR, if you have 10 minutes." },
  { room: "ada-milo", who: "ada", at: 49, text: "Looking now." },
  { room: "all", who: "milo", at: 95, text: "Quick one: the new index makes the search query about 4× faster on the big accounts:" },
  {
    room: "all",
    who: "milo",
    at: 96,
    text: "```sql\nCREATE INDEX messages_by_room_created\n  ON messages (room_id, created_at);\n```",
    boosts: [
      ["sofia", "🚀"],
      ["jonas", "🚀"],
      ["ada", "👏"],
    ],
  },
  { room: "all", who: "jonas", at: 99, text: "Customers are going to notice that one." },
  { room: "all", who: "ada", at: 180, text: "Lunch break! Freeze is in effect: only release fixes on main now 🥪" },
  { room: "releases", who: "deploybot", at: 60, text: "Nightly build #812 passed ✅ (all 1,412 tests, 14 min)" },
  { room: "releases", who: "milo", at: 240, text: "Suite is green on the release branch. Tagging v2.4.0." },
  { room: "releases", who: "milo", at: 241, text: "/play rollout" },
  {
    room: "releases",
    who: "deploybot",
    at: 252,
    text: "🚀 v2.4.0 is live in production: 3 services updated, 0 errors. https://example.com/deploys/2-4-0",
  },
  {
    room: "releases",
    who: "sofia",
    at: 255,
    text: "Builds are up. Smoke test passed on all three platforms ✅",
    boosts: [
      ["milo", "🎉"],
      ["ada", "🎉"],
    ],
  },
  { room: "all", who: "priya", at: 270, text: "Changelog with the new banner is live: https://example.com/changelog/2-4" },
  { room: "all", who: "ada", at: 272, text: "/play tada" },
  {
    room: "all",
    who: "ada",
    at: 273,
    text: "Great work, team. Thank you all! 🙏",
    boosts: [
      ["milo", "❤️"],
      ["priya", "❤️"],
      ["jonas", "❤️"],
      ["sofia", "❤️"],
    ],
  },
  { room: "all", who: "jonas", at: 290, text: "Answered both export tickets. One customer replied with three exclamation marks 😄" },
  { room: "all", who: "sofia", at: 292, text: "/play yay" },
  { room: "all", who: "milo", at: 420, text: "Error rates flat since the release. Heading out, see you tomorrow!" },
  { room: "all", who: "ada", at: 425, text: "Night @Milo Chen 🌙" },
];
