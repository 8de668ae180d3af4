import qrcode from "qrcode-generator";
import { type Html, html } from "../html.ts";

// Four modules of light border, as the QR standard asks, so phones read it on any background.
const QUIET_ZONE = 4;

// Making a code takes 5–9 ms here (the library tries all eight masks), and the account page shows
// the same join link every time: codes are kept by their text, a few at most (a pure function of
// it, so never stale).
const made = new Map<string, Html>();
const MAX_KEPT = 16;

/**
 * A QR code as inline SVG: one <path> of the dark modules on a white <rect>, attributes only (the
 * CSP refuses style attributes). Error correction level M survives a smudged or photographed screen.
 */
export function qrCodeHtml(text: string, label: string): Html {
  const key = `${label}\n${text}`;
  let svg = made.get(key);
  if (!svg) {
    if (made.size >= MAX_KEPT) made.delete(made.keys().next().value!);
    made.set(key, (svg = drawQrCode(text, label)));
  }
  return svg;
}

function drawQrCode(text: string, label: string): Html {
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  const count = code.getModuleCount();
  const size = count + QUIET_ZONE * 2;
  // Each run of dark modules in a row is one rectangle: a third of the bytes of one per module.
  let d = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (!code.isDark(row, col)) continue;
      const start = col;
      while (col + 1 < count && code.isDark(row, col + 1)) col++;
      const run = col - start + 1;
      d += `M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`;
    }
  }
  return html`<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${label}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}
