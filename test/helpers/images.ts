import { crc32, deflateSync } from "node:zlib";

/**
 * A real PNG of the given size (one flat colour), written by hand so tests need no image files.
 * `rowsStored` less than the height makes a pixel bomb's shape: a header promising a huge image
 * over a few bytes of data (what a decoder sizes its memory by).
 */
export function pngOf(width: number, height: number, rowsStored = height): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: Uint8Array) => {
    const bytes = Buffer.alloc(12 + data.length);
    bytes.writeUInt32BE(data.length, 0);
    bytes.write(type, 4, "latin1");
    Buffer.from(data).copy(bytes, 8);
    bytes.writeUInt32BE(crc32(bytes.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return bytes;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * rowsStored, 0x80);
  for (let y = 0; y < rowsStored; y++) rows[y * (width * 3 + 1)] = 0; // filter: none
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Uint8Array(
    Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", new Uint8Array())]),
  );
}
