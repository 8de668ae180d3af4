// How each /play sound is made, as data: a few voices (an oscillator gliding between two pitches,
// or filtered noise) placed in time, each with a short attack and decay. Played by sounds.ts with
// the Web Audio API; written for Campfire, nothing recorded. Kept free of the DOM so tests can check it.
import type { SoundName } from "../../src/messages/sounds.ts";

export type Voice = {
  wave: OscillatorType | "noise";
  /** Hz; for noise, the centre of its band-pass filter. */
  from: number;
  to?: number;
  /** Seconds from the start of the sound. */
  at: number;
  length: number;
  gain?: number;
};

type Note = [frequency: number, length: number];

/** A tune: notes one after another (a frequency of 0 is a rest). */
function tune(wave: OscillatorType, notes: Note[], { at = 0, gain = 0.3, legato = 0.9 } = {}): Voice[] {
  const voices: Voice[] = [];
  let time = at;
  for (const [frequency, length] of notes) {
    if (frequency > 0) voices.push({ wave, from: frequency, at: time, length: length * legato, gain });
    time += length;
  }
  return voices;
}

const glide = (wave: OscillatorType, from: number, to: number, at: number, length: number, gain = 0.3): Voice => ({
  wave,
  from,
  to,
  at,
  length,
  gain,
});
const noise = (band: number, at: number, length: number, gain = 0.4): Voice => ({ wave: "noise", from: band, at, length, gain });
/** Several notes at once. */
const chord = (wave: OscillatorType, frequencies: number[], at: number, length: number, gain = 0.15): Voice[] =>
  frequencies.map((from) => ({ wave, from, at, length, gain }));
/** A syllable-like blip: a quick pitch bend, for the spoken catchphrases. */
const say = (pitches: number[], at = 0, length = 0.16, wave: OscillatorType = "sawtooth"): Voice[] =>
  pitches.map((pitch, index) => glide(wave, pitch, pitch * 0.85, at + index * length, length * 0.9, 0.18));

// Note frequencies (Hz), equal temperament.
const C4 = 261.6,
  D4 = 293.7,
  E4 = 329.6,
  F4 = 349.2,
  G4 = 392,
  A4 = 440,
  B4 = 493.9;
const C5 = 523.3,
  D5 = 587.3,
  E5 = 659.3,
  F5 = 698.5,
  G5 = 784,
  C6 = 1046.5;
const A3 = 220,
  G3 = 196,
  F3 = 174.6,
  C3 = 130.8,
  Bb3 = 233.1;

export const RECIPES: Record<SoundName, Voice[]> = {
  "56k": [
    ...tune("sine", [
      [1200, 0.15],
      [2100, 0.15],
      [1200, 0.15],
    ]),
    noise(2400, 0.5, 0.6, 0.25),
    glide("square", 980, 1650, 1.1, 0.4, 0.1),
  ],
  ballmer: [...say([220, 260, 240], 0), ...say([220, 260, 240], 0.55), ...say([230, 280, 250], 1.1)],
  bell: [glide("sine", C6, C6, 0, 1.6, 0.35), glide("sine", C6 * 2.76, C6 * 2.76, 0, 0.6, 0.08)],
  bezos: say([300, 340, 300, 340, 300, 280], 0, 0.12, "triangle"),
  bueller: [...say([180, 150], 0, 0.25), ...say([180, 150], 0.9, 0.25)],
  butts: [glide("square", 140, 90, 0, 0.25, 0.2), glide("square", 150, 80, 0.3, 0.3, 0.2)],
  clowntown: tune(
    "square",
    [
      [C5, 0.12],
      [E5, 0.12],
      [G5, 0.12],
      [C6, 0.12],
      [G5, 0.12],
      [E5, 0.12],
      [C5, 0.3],
    ],
    { gain: 0.15 },
  ),
  cottoneyejoe: tune(
    "sawtooth",
    [
      [G4, 0.15],
      [G4, 0.15],
      [A4, 0.15],
      [G4, 0.15],
      [E4, 0.15],
      [D4, 0.15],
      [C4, 0.3],
    ],
    { gain: 0.15 },
  ),
  crickets: [0, 0.5, 1, 1.5].flatMap((at) => [glide("sine", 4200, 4400, at, 0.05, 0.1), glide("sine", 4200, 4400, at + 0.08, 0.05, 0.1)]),
  curb: tune(
    "triangle",
    [
      [F3, 0.2],
      [A3, 0.2],
      [C4, 0.2],
      [D4, 0.2],
      [F4, 0.4],
      [0, 0.1],
      [D4, 0.15],
      [F4, 0.4],
    ],
    { gain: 0.35 },
  ),
  dadgummit: [...say([200, 240], 0, 0.18), glide("sawtooth", 260, 160, 0.4, 0.35, 0.2)],
  dangerzone: [
    ...tune(
      "sawtooth",
      [
        [E4, 0.2],
        [E4, 0.2],
        [G4, 0.2],
        [A4, 0.6],
      ],
      { gain: 0.15 },
    ),
    noise(400, 0, 1.2, 0.15),
  ],
  danielsan: [glide("sine", 300, 900, 0, 0.3, 0.2), glide("sine", 900, 300, 0.4, 0.3, 0.2)],
  deeper: [glide("sine", 400, 80, 0, 1.5, 0.35)],
  donotwant: [...say([300, 260, 220], 0, 0.22), glide("sawtooth", 240, 120, 0.7, 0.6, 0.2)],
  drama: [
    ...chord("sawtooth", [C4, E4 * 0.944, G4], 0, 0.25),
    ...chord(
      "sawtooth",
      [C4, E4 * 0.944, G4].map((f) => f * 0.944),
      0.3,
      0.25,
    ),
    ...chord("sawtooth", [C3, G3, C4], 0.6, 0.9),
  ],
  flawless: [glide("square", 200, 100, 0, 0.4, 0.2), ...chord("triangle", [C5, E5, G5], 0.45, 0.8, 0.12)],
  glados: tune(
    "sine",
    [
      [A4, 0.1],
      [C5, 0.1],
      [B4, 0.1],
      [A4, 0.1],
      [E5, 0.3],
    ],
    { gain: 0.25, legato: 0.6 },
  ),
  gogogo: [0, 0.25, 0.5].map((at) => glide("square", 500, 700, at, 0.15, 0.15)),
  greatjob: tune(
    "triangle",
    [
      [C5, 0.1],
      [E5, 0.1],
      [G5, 0.1],
      [C6, 0.4],
    ],
    { gain: 0.3 },
  ),
  greyjoy: [glide("sawtooth", 110, 110, 0, 1.4, 0.15), glide("sawtooth", 165, 165, 0.2, 1.2, 0.1), noise(200, 0, 1.4, 0.2)],
  guarantee: [...say([150, 140, 130], 0, 0.25, "square")],
  heygirl: [glide("sine", 350, 250, 0, 0.3, 0.25), glide("sine", 300, 420, 0.35, 0.4, 0.25)],
  honk: [glide("sawtooth", 380, 360, 0, 0.25, 0.25), glide("sawtooth", 382, 362, 0, 0.25, 0.2)],
  horn: [glide("sawtooth", G3, G3, 0, 0.2, 0.2), glide("sawtooth", C4, C4, 0.25, 0.6, 0.2)],
  horror: [
    glide("sawtooth", 1500, 1400, 0, 0.15, 0.12),
    glide("sawtooth", 1500, 1400, 0.2, 0.15, 0.12),
    glide("sawtooth", 1500, 1400, 0.4, 0.15, 0.12),
    glide("sine", 60, 40, 0, 1.5, 0.4),
  ],
  inconceivable: [...say([250, 300, 350, 300], 0, 0.14), glide("sawtooth", 320, 200, 0.6, 0.4, 0.2)],
  letitgo: tune(
    "triangle",
    [
      [F4, 0.2],
      [G4, 0.2],
      [Bb3 * 2 * 0.75, 0.2],
      [C5, 0.5],
      [0, 0.05],
      [F5, 0.5],
    ],
    { gain: 0.25 },
  ),
  live: [noise(1500, 0, 0.3, 0.3), ...say([240, 300], 0.35, 0.2)],
  loggins: tune(
    "sawtooth",
    [
      [E4, 0.12],
      [E4, 0.12],
      [E4, 0.12],
      [D4, 0.12],
      [E4, 0.5],
    ],
    { gain: 0.15 },
  ),
  makeitso: [...chord("sine", [A3, E4], 0, 0.3, 0.15), ...chord("sine", [D4, A4], 0.35, 0.6, 0.15)],
  noooo: [glide("sawtooth", 400, 150, 0, 1.4, 0.2)],
  nyan: tune(
    "square",
    [
      [F5, 0.1],
      [G5, 0.1],
      [D5, 0.1],
      [D5, 0.1],
      [0, 0.05],
      [B4, 0.1],
      [D5, 0.1],
      [C5, 0.1],
      [B4, 0.1],
      [A4, 0.2],
    ],
    { gain: 0.12 },
  ),
  ohmy: [glide("sine", 300, 500, 0, 0.3, 0.25), glide("sine", 500, 280, 0.35, 0.5, 0.25)],
  ohyeah: [glide("sawtooth", 120, 90, 0, 0.4, 0.2), glide("sawtooth", 140, 100, 0.5, 0.6, 0.2)],
  pushit: [0, 0.3, 0.6, 0.9].flatMap((at) => [noise(100, at, 0.1, 0.5), glide("square", 80, 60, at, 0.12, 0.2)]),
  rimshot: [glide("sine", 180, 120, 0, 0.1, 0.4), glide("sine", 140, 90, 0.15, 0.1, 0.4), noise(6000, 0.35, 0.6, 0.3)],
  rollout: [glide("sawtooth", 80, 300, 0, 0.6, 0.2), noise(800, 0, 0.6, 0.15)],
  rumble: [noise(120, 0, 1.2, 0.5), glide("sine", 55, 45, 0, 1.2, 0.4), noise(3000, 1.1, 0.3, 0.2)],
  sax: [
    glide("sawtooth", D4, D4 * 1.06, 0, 0.5, 0.15),
    glide("sawtooth", F4, F4 * 0.97, 0.5, 0.4, 0.15),
    glide("sawtooth", A4, A4 * 1.02, 0.9, 0.8, 0.15),
  ],
  secret: tune(
    "sine",
    [
      [E5, 0.15],
      [D5, 0.15],
      [E5, 0.15],
      [0, 0.1],
      [C5, 0.4],
    ],
    { gain: 0.2, legato: 0.5 },
  ),
  sexyback: [0, 0.25, 0.5, 0.75].flatMap((at, i) => [
    glide("square", i % 2 ? 110 : 82, i % 2 ? 110 : 82, at, 0.15, 0.2),
    noise(5000, at + 0.125, 0.05, 0.15),
  ]),
  story: tune(
    "triangle",
    [
      [C5, 0.3],
      [G4, 0.3],
      [E4, 0.3],
      [C4, 0.6],
    ],
    { gain: 0.25 },
  ),
  tada: [...chord("square", [C4, E4, G4], 0, 0.12, 0.08), ...chord("square", [C5, E5, G5, C6], 0.16, 0.9, 0.08)],
  tmyk: [
    ...tune(
      "sine",
      [
        [G5, 0.2],
        [C6, 0.2],
        [E5 * 2, 0.6],
      ],
      { gain: 0.2 },
    ),
    glide("sine", 3000, 6000, 0.2, 0.6, 0.05),
  ],
  totes: [glide("square", 600, 800, 0, 0.1, 0.15), glide("square", 800, 600, 0.15, 0.15, 0.15)],
  trololo: tune(
    "triangle",
    [
      [G4, 0.12],
      [A4, 0.12],
      [G4, 0.12],
      [F4, 0.12],
      [E4, 0.12],
      [F4, 0.12],
      [G4, 0.12],
      [C5, 0.35],
    ],
    { gain: 0.25 },
  ),
  trombone: [
    glide("sawtooth", Bb3, Bb3, 0, 0.35, 0.18),
    glide("sawtooth", A3, A3, 0.4, 0.35, 0.18),
    glide("sawtooth", A3 * 0.944, A3 * 0.944, 0.8, 0.35, 0.18),
    glide("sawtooth", G3, G3 * 0.95, 1.2, 1, 0.18),
  ],
  unix: tune(
    "square",
    [
      [C5, 0.08],
      [G5, 0.08],
      [E5, 0.08],
      [C6, 0.08],
      [0, 0.1],
      [C6, 0.08],
      [C6, 0.08],
    ],
    { gain: 0.1 },
  ),
  vuvuzela: [glide("sawtooth", 233, 233, 0, 1.6, 0.2), glide("sawtooth", 236, 236, 0, 1.6, 0.15)],
  what: [glide("sine", 200, 500, 0, 0.4, 0.3)],
  whoomp: [glide("sine", 160, 40, 0, 0.5, 0.5), noise(300, 0, 0.3, 0.3), ...say([220, 260, 300], 0.6, 0.15)],
  wups: [glide("sine", 600, 300, 0, 0.15, 0.25), glide("sine", 500, 250, 0.18, 0.2, 0.25)],
  yay: [
    ...tune(
      "triangle",
      [
        [G4, 0.1],
        [C5, 0.1],
        [E5, 0.1],
        [G5, 0.3],
      ],
      { gain: 0.25 },
    ),
    noise(4000, 0, 0.6, 0.1),
  ],
  yeah: [glide("sawtooth", 180, 260, 0, 0.5, 0.2), ...chord("triangle", [E4, G4, B4], 0.5, 0.5)],
  yodel: tune(
    "sine",
    [
      [G4, 0.15],
      [D5, 0.15],
      [G4, 0.15],
      [D5, 0.15],
      [B4, 0.15],
      [G5, 0.4],
    ],
    { gain: 0.3 },
  ),
};

/** How long a sound lasts, in seconds. */
export const duration = (voices: Voice[]): number => Math.max(...voices.map((voice) => voice.at + voice.length));
