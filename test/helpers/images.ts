import { encodePng } from "../../src/images/png.ts";

/**
 * A real PNG of the given size (one flat colour), written by hand so tests need no image files.
 * `rowsStored` less than the height makes a pixel bomb's shape: a header promising a huge image
 * over a few bytes of data (what a decoder sizes its memory by).
 */
export function pngOf(width: number, height: number, rowsStored = height): Uint8Array<ArrayBuffer> {
  return encodePng(width, height, new Uint8Array(width * 3 * rowsStored).fill(0x80), 3, rowsStored);
}

/**
 * A real animated GIF: one flat-coloured frame per colour, each shown for `delayCs` hundredths of a
 * second. The pixels are written uncompressed (a clear code before each, so the LZW code size never
 * grows): a few hundred bytes for a small picture, and every decoder reads it.
 */
export function gifOf(width: number, height: number, colours: [number, number, number][], delayCs = 50): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [...Buffer.from("GIF89a")];
  const u16 = (n: number) => bytes.push(n & 0xff, n >> 8);
  u16(width);
  u16(height);
  bytes.push(0x00, 0, 0); // no global colour table
  bytes.push(0x21, 0xff, 11, ...Buffer.from("NETSCAPE2.0"), 3, 1, 0, 0, 0); // loop for ever
  for (const [r, g, b] of colours) {
    bytes.push(0x21, 0xf9, 4, 0x04, delayCs & 0xff, delayCs >> 8, 0, 0); // delay; keep the frame
    bytes.push(0x2c);
    u16(0);
    u16(0);
    u16(width);
    u16(height);
    bytes.push(0x80, r, g, b, 0, 0, 0); // a local table of two colours: the frame's and black
    // Codes of 3 bits (minimum code size 2): clear (4) then pixel 0, for every pixel, then end (5).
    const codes = [...Array.from({ length: width * height }, () => [4, 0]).flat(), 5];
    const data: number[] = [];
    let bits = 0;
    let used = 0;
    for (const code of codes) {
      bits |= code << used;
      used += 3;
      while (used >= 8) {
        data.push(bits & 0xff);
        bits >>= 8;
        used -= 8;
      }
    }
    if (used > 0) data.push(bits & 0xff);
    bytes.push(2);
    for (let at = 0; at < data.length; at += 255) {
      const block = data.slice(at, at + 255);
      bytes.push(block.length, ...block);
    }
    bytes.push(0);
  }
  bytes.push(0x3b);
  return new Uint8Array(bytes);
}
