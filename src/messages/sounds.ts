// The /play sounds: the 56 names of the original Campfire, each shown as a line of text or as a
// picture. Shared by the server (which renders the message) and the browser code (which plays it),
// so like protocol.ts it imports nothing. The sounds are synthesized in the browser
// (assets/client/sound-recipes.ts) and the pictures are our own SVGs (assets/images/sounds/).

export type Sound = { kind: "text"; text: string } | { kind: "picture"; alt: string };

const text = (line: string): Sound => ({ kind: "text", text: line });
const picture = (alt: string): Sound => ({ kind: "picture", alt });

export const SOUNDS = {
  "56k": picture("a dial-up modem connecting"),
  ballmer: text("🗣️ developers, developers, developers!"),
  bell: text("🔔"),
  bezos: text("😆 laughs like a billionaire"),
  bueller: text("🙋 Bueller? … Bueller?"),
  butts: text("🍑 hehe, butts"),
  clowntown: picture("a clown car"),
  cottoneyejoe: text("🤠 where did you come from, where did you go?"),
  crickets: text("🦗 hears crickets"),
  curb: picture("a cheerful tuba outro"),
  dadgummit: text("😤 dad gum it!"),
  dangerzone: picture("a fighter jet"),
  danielsan: text("🥋 wax on, wax off"),
  deeper: picture("a spinning top"),
  donotwant: picture("a big red NO"),
  drama: picture("a dramatic face"),
  flawless: text("💎 flawless victory"),
  glados: text("🤖 the cake is a lie"),
  gogogo: text("🏃 go, go, go!"),
  greatjob: picture("a gold star"),
  greyjoy: text("🐙 what is dead may never die"),
  guarantee: text("✅ I guarantee it"),
  heygirl: text("😏 hey girl"),
  honk: text("🪿 honk!"),
  horn: text("📯 toots a horn"),
  horror: text("😱 plays something spooky"),
  inconceivable: text("🤯 inconceivable!"),
  letitgo: text("❄️ let it go"),
  live: text("🎤 we'll do it live!"),
  loggins: picture("a pair of aviator sunglasses"),
  makeitso: text("🖖 make it so"),
  noooo: text("😩 noooooo!"),
  nyan: picture("a rainbow cat"),
  ohmy: text("😮 oh my!"),
  ohyeah: text("😎 oh yeah!"),
  pushit: picture("a big button to push"),
  rimshot: text("🥁 ba dum tss"),
  rollout: text("🚚 roll out!"),
  rumble: picture("two boxing gloves"),
  sax: text("🎷 plays a smooth sax"),
  secret: text("🤫 shh, it's a secret"),
  sexyback: text("🕺 brings sexy back"),
  story: text("📖 and that's the story"),
  tada: text("🎉 ta-da!"),
  tmyk: text("🌠 the more you know"),
  totes: text("👍 totes"),
  trololo: text("🎶 trololo lololo"),
  trombone: text("🎺 plays a sad trombone"),
  unix: text("🖥️ it's a UNIX system! I know this!"),
  vuvuzela: text("📣 bzzzzzzzzzzzz"),
  what: picture("a giant question mark"),
  whoomp: text("💥 whoomp, there it is"),
  wups: text("🙊 wups"),
  yay: picture("balloons"),
  yeah: picture("a pair of sunglasses going on"),
  yodel: text("🏔️ yodel-ay-ee-oo"),
} as const satisfies Record<string, Sound>;

export type SoundName = keyof typeof SOUNDS;
export const SOUND_NAMES = Object.keys(SOUNDS) as SoundName[];

export const isSoundName = (name: string): name is SoundName => Object.hasOwn(SOUNDS, name);
