// The demo's photo, drawn here rather than shipped: a lake at dusk (sky gradient, sun, two
// ridges, the sun's reflection), 640×400 RGB. Deterministic.
import { encodePng } from "../images/png.ts";

const WIDTH = 640;
const HEIGHT = 400;
const HORIZON = 260;

type Rgb = [number, number, number];
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as Rgb;

function pixel(x: number, y: number): Rgb {
  const sunX = 420;
  const sunY = 215;
  const ridgeFar = 205 + 22 * Math.sin(x / 70) + 10 * Math.sin(x / 23);
  const ridgeNear = 232 + 18 * Math.sin(x / 110 + 2) + 6 * Math.sin(x / 17);
  if (y < HORIZON) {
    if (y > ridgeNear) return mix([38, 52, 64], [28, 38, 48], (y - ridgeNear) / 40);
    if (y > ridgeFar) return [72, 74, 96];
    if (Math.hypot(x - sunX, y - sunY) < 28) return [255, 214, 140];
    return mix([46, 64, 122], [246, 156, 96], y / HORIZON);
  }
  // Water: the sky upside down, darker, with a shimmering band under the sun.
  const depth = (y - HORIZON) / (HEIGHT - HORIZON);
  const shimmer = Math.abs(x - sunX) < 30 - depth * 12 && Math.sin(y * 1.7) > -0.2;
  if (shimmer) return mix([255, 200, 130], [120, 90, 80], depth);
  return mix([150, 110, 104], [24, 34, 58], depth);
}

export function demoPicture(): Uint8Array<ArrayBuffer> {
  const pixels = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) pixels.set(pixel(x, y), (y * WIDTH + x) * 3);
  return encodePng(WIDTH, HEIGHT, pixels, 3);
}
