// /play sounds: the 🔊 button plays one; a sound message arriving live plays for everyone in the
// room who hasn't muted sounds (never one from history, a page load or a catch-up). Synthesized
// with the Web Audio API from sound-recipes.ts.
import { isSoundName } from "../../src/messages/sounds.ts";
import { onLoad } from "./on-load.ts";
import { RECIPES, type Voice } from "./sound-recipes.ts";

const ATTACK_S = 0.01;
let context: AudioContext | null = null;
let noiseBuffer: AudioBuffer | null = null;

const muted = () => document.body.dataset.soundsMuted === "true";

// Browsers allow audio only after the person has interacted with the page, so the audio context
// is made on the first click or key. A sound that arrives before then is skipped, not queued to
// burst out later.
function unlock() {
  context ??= new AudioContext();
  if (context.state === "suspended") context.resume().catch(() => {});
}
for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, unlock, { capture: true });

function noise(audio: AudioContext): AudioBuffer {
  if (!noiseBuffer) {
    noiseBuffer = audio.createBuffer(1, audio.sampleRate, audio.sampleRate);
    const samples = noiseBuffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.random() * 2 - 1;
  }
  return noiseBuffer;
}

function voice(audio: AudioContext, output: AudioNode, v: Voice, start: number) {
  const at = start + v.at;
  const end = at + v.length;
  const envelope = audio.createGain();
  envelope.gain.setValueAtTime(0, at);
  envelope.gain.linearRampToValueAtTime(v.gain ?? 0.3, at + ATTACK_S);
  envelope.gain.exponentialRampToValueAtTime(0.001, end);
  envelope.connect(output);
  let source: AudioScheduledSourceNode;
  if (v.wave === "noise") {
    const buffer = audio.createBufferSource();
    buffer.buffer = noise(audio);
    buffer.loop = true;
    const band = audio.createBiquadFilter();
    band.type = "bandpass";
    band.frequency.value = v.from;
    buffer.connect(band).connect(envelope);
    source = buffer;
  } else {
    const oscillator = audio.createOscillator();
    oscillator.type = v.wave;
    oscillator.frequency.setValueAtTime(v.from, at);
    if (v.to !== undefined) oscillator.frequency.exponentialRampToValueAtTime(v.to, end);
    oscillator.connect(envelope);
    source = oscillator;
  }
  source.start(at);
  source.stop(end + 0.05);
}

/** Plays a sound now, once the person has interacted with the page. */
export function play(name: string): void {
  const output = context;
  if (!output || !isSoundName(name)) return;
  const start = () => {
    const master = output.createGain();
    master.gain.value = 0.8;
    master.connect(output.destination);
    for (const v of RECIPES[name]) voice(output, master, v, output.currentTime + 0.02);
  };
  if (output.state === "running") start();
  else output.resume().then(start, () => {});
}

/** Called with the messages a live frame has just added: the newest, if it is a sound, plays. */
export function arrived(messages: HTMLElement[]): void {
  const sound = messages.at(-1)?.querySelector<HTMLElement>(".sound[data-sound]")?.dataset.sound;
  if (sound && !muted()) play(sound);
}

document.addEventListener("click", (event) => {
  const button = (event.target as Element).closest<HTMLElement>("[data-play-sound]");
  if (button) play(button.dataset.playSound!);
});

// The mute switch in the sidebar answers with itself; the page's setting follows it.
onLoad((root) => {
  const toggle = root.matches?.("[data-sounds-toggle]") ? (root as HTMLElement) : root.querySelector?.<HTMLElement>("[data-sounds-toggle]");
  if (toggle) document.body.dataset.soundsMuted = toggle.dataset.muted;
});
