import { accountIconUrl, hasLogo } from "../accounts/branding.ts";
import { encodePng } from "../images/png.ts";

// The app's icon for the home screen, notifications and the install prompt. Browsers want PNGs
// (an SVG icon does not satisfy every installability check), and nothing in the executable can
// rasterize SVG, so the campfire of assets/images/campfire.svg is drawn here shape by shape.

export type IconPurpose = "any" | "maskable";
export const ICON_SIZES = [192, 512] as const;

/**
 * Where the icon of a size is served: the account's logo once an administrator uploaded one, else
 * ours. The manifest, the notifications and the page head all ask here. A logo is not made for
 * masks (Android crops a circle out of the middle), so the maskable icon stays ours.
 */
export function appIconPath(size: (typeof ICON_SIZES)[number], purpose: IconPurpose = "any"): string {
  if (purpose === "any" && hasLogo()) return accountIconUrl(size);
  return `/icons/campfire-${purpose === "maskable" ? "maskable-" : ""}${size}.png`;
}

/** The manifest's icon list: each size for any use, and the large one full-bleed for masks (Android's round and squircle crops). */
export function manifestIcons(): { src: string; sizes: string; type: string; purpose: IconPurpose }[] {
  return [
    ...ICON_SIZES.map((size) => ({ src: appIconPath(size), sizes: `${size}x${size}`, type: "image/png", purpose: "any" as const })),
    { src: appIconPath(512, "maskable"), sizes: "512x512", type: "image/png", purpose: "maskable" },
  ];
}

type Rgb = [number, number, number];
const EMBER: Rgb = [0x24, 0x20, 0x1d];
const FLAME: Rgb = [0xf7, 0x67, 0x07];
const CORE: Rgb = [0xff, 0xd4, 0x3b];
const WOOD: Rgb = [0xa0, 0x66, 0x3b];

/** A flame: a round base of radius r centred at (32, cy) narrowing to a point at height tip. */
function inFlame(x: number, y: number, cy: number, r: number, tip: number): boolean {
  const dx = x - 32;
  if (y >= cy) return dx * dx + (y - cy) * (y - cy) <= r * r;
  return y >= tip && Math.abs(dx) <= r * Math.sqrt((y - tip) / (cy - tip));
}

/** A log: a segment from a to b, 4 units thick with round ends. */
function onLog(x: number, y: number, ax: number, ay: number, bx: number, by: number): boolean {
  const [vx, vy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  const [dx, dy] = [x - ax - t * vx, y - ay - t * vy];
  return dx * dx + dy * dy <= 4;
}

/** The colour at a point of the 64-unit drawing, or null outside it (transparent). */
function colourAt(x: number, y: number, fullBleed: boolean): Rgb | null {
  if (onLog(x, y, 17, 49, 47, 55) || onLog(x, y, 47, 49, 17, 55)) return WOOD;
  if (inFlame(x, y, 39, 6, 28)) return CORE;
  if (inFlame(x, y, 36, 12, 10)) return FLAME;
  const [dx, dy] = [x - 32, y - 32];
  return fullBleed || dx * dx + dy * dy <= 31 * 31 ? EMBER : null;
}

// 2 × 2 samples a pixel smooth the edges enough at 192 px and up (3 × 3 took twice as long to draw).
const SAMPLES = 2;

/** The icon as RGBA pixels; a maskable one fills the square and keeps the fire inside the middle 80 % (the safe zone). */
function draw(size: number, purpose: IconPurpose): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const scale = purpose === "maskable" ? 64 / 0.8 / size : 64 / size;
  const offset = purpose === "maskable" ? 32 - 32 / 0.8 : 0;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let [r, g, b, covered] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++)
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(
            offset + (px + (sx + 0.5) / SAMPLES) * scale,
            offset + (py + (sy + 0.5) / SAMPLES) * scale,
            purpose === "maskable",
          );
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      pixels.set([r / covered, g / covered, b / covered, (255 * covered) / (SAMPLES * SAMPLES)], at);
    }
  return pixels;
}

// Drawn on first request (≈ tens of ms for the large ones) and kept: three images, under 30 KB in all.
const drawn = new Map<string, Uint8Array>();

/** The PNG served at a path appIconPath gives, or null for any other name. */
export function iconAt(name: string): Uint8Array | null {
  const match = name.match(/^campfire-(maskable-)?(192|512)\.png$/);
  if (!match || (match[1] && match[2] !== "512")) return null;
  let icon = drawn.get(name);
  if (!icon) {
    const size = Number(match[2]);
    icon = encodePng(size, size, draw(size, match[1] ? "maskable" : "any"), 4);
    drawn.set(name, icon);
  }
  return icon;
}
