// The demo's photo, drawn here rather than shipped: a lake at dusk (sky gradient, sun, two
// ridges, the sun's reflection), 640×400 RGB, encoded as a PNG by hand. Deterministic.
import { crc32, deflateSync } from "node:zlib";

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
  const rows = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < WIDTH; x++) rows.set(pixel(x, y), row + 1 + x * 3);
  }
  const chunk = (type: string, data: Uint8Array) => {
    const bytes = Buffer.alloc(12 + data.length);
    bytes.writeUInt32BE(data.length, 0);
    bytes.write(type, 4, "latin1");
    Buffer.from(data).copy(bytes, 8);
    bytes.writeUInt32BE(crc32(bytes.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return bytes;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header[8] = 8;
  header[9] = 2; // RGB
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Uint8Array(
    Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", new Uint8Array())]),
  );
}
