// The pictures of the /play sounds that show one (src/messages/sounds.ts), drawn for Campfire as
// small SVGs on a 64×64 grid. Served by src/http/assets.ts at /assets/sounds/<name>.svg.
import type { SoundName } from "../../src/messages/sounds.ts";

const svg = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

export const SOUND_PICTURES: Partial<Record<SoundName, string>> = {
  "56k": svg(
    `<rect x="6" y="24" width="52" height="22" rx="5" fill="#9aa5b1"/><rect x="6" y="24" width="52" height="8" rx="4" fill="#c3ccd5"/>` +
      `<circle cx="16" cy="40" r="2.5" fill="#3ddc84"/><circle cx="24" cy="40" r="2.5" fill="#f7b500"/><circle cx="32" cy="40" r="2.5" fill="#3ddc84"/>` +
      `<path d="M40 14c4-4 10-4 14 0M43 18c2-2 6-2 8 0" fill="none" stroke="#52606d" stroke-width="3"/>`,
  ),
  clowntown: svg(
    `<rect x="8" y="26" width="48" height="18" rx="8" fill="#e63946"/><path d="M18 26l6-10h16l6 10z" fill="#f1faee"/>` +
      `<circle cx="20" cy="46" r="6" fill="#1d3557"/><circle cx="44" cy="46" r="6" fill="#1d3557"/>` +
      `<circle cx="32" cy="10" r="5" fill="#ff595e"/><circle cx="24" cy="12" r="4" fill="#ffca3a"/><circle cx="40" cy="12" r="4" fill="#8ac926"/>`,
  ),
  curb: svg(
    `<path d="M12 44c0-10 6-16 14-16h8v-8h8v8c6 0 10 4 10 10v6z" fill="#d4a017"/><circle cx="44" cy="24" r="8" fill="none" stroke="#b8860b" stroke-width="4"/>` +
      `<path d="M8 52h48" stroke="#6b4f1d" stroke-width="4"/><path d="M14 18l2-6M20 16l-1-6" stroke="#333" stroke-width="2"/>`,
  ),
  dangerzone: svg(
    `<path d="M32 6l6 20 18 10v6l-18-4-2 12 8 6v4l-12-3-12 3v-4l8-6-2-12-18 4v-6l18-10z" fill="#5c677d"/>` +
      `<path d="M32 10l3 14h-6z" fill="#a9d6e5"/>`,
  ),
  deeper: svg(
    `<path d="M32 8l20 22-20 26-20-26z" fill="#c0c0c0"/><path d="M32 8l20 22H12z" fill="#8d99ae"/><path d="M32 56v4" stroke="#2b2d42" stroke-width="3"/>` +
      `<path d="M4 30c6-3 10 3 16 0M44 30c6-3 10 3 16 0" fill="none" stroke="#2b2d42" stroke-width="2"/>`,
  ),
  donotwant: svg(
    `<circle cx="32" cy="32" r="26" fill="#d62828"/><text x="32" y="41" text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="24" fill="#fff">NO</text>`,
  ),
  drama: svg(
    `<circle cx="32" cy="32" r="24" fill="#ffd166"/><circle cx="24" cy="28" r="4" fill="#222"/><circle cx="40" cy="28" r="4" fill="#222"/>` +
      `<path d="M20 20l8 3M44 20l-8 3" stroke="#222" stroke-width="3"/><ellipse cx="32" cy="44" rx="6" ry="7" fill="#6a040f"/>`,
  ),
  greatjob: svg(
    `<path d="M32 6l7.6 16.4 17.9 2.1-13.2 12.2 3.5 17.7L32 45.5l-15.8 8.9 3.5-17.7L6.5 24.5l17.9-2.1z" fill="#ffc300" stroke="#e09f00" stroke-width="2"/>`,
  ),
  loggins: svg(
    `<path d="M6 24h52" stroke="#333" stroke-width="3"/><path d="M8 24h20c0 12-4 16-10 16S8 36 8 24zM36 24h20c0 12-4 16-10 16s-10-4-10-16z" fill="#2b2d42"/>` +
      `<path d="M12 28l6 6M40 28l6 6" stroke="#8ecae6" stroke-width="2"/>`,
  ),
  nyan: svg(
    `<path d="M2 22h24M2 28h24M2 34h24M2 40h24" stroke-width="6" stroke="#ff595e"/><path d="M2 28h24" stroke-width="6" stroke="#ffca3a"/>` +
      `<path d="M2 34h24" stroke-width="6" stroke="#8ac926"/><path d="M2 40h24" stroke-width="6" stroke="#1982c4"/>` +
      `<rect x="24" y="18" width="28" height="26" rx="5" fill="#f4c2c2" stroke="#6d6875" stroke-width="2"/>` +
      `<path d="M46 26l4-6 4 6 4-6 2 8v10H44z" fill="#9e9e9e"/><circle cx="50" cy="33" r="1.5" fill="#222"/><circle cx="56" cy="33" r="1.5" fill="#222"/>`,
  ),
  pushit: svg(
    `<rect x="10" y="40" width="44" height="12" rx="3" fill="#495057"/><path d="M16 40c0-12 32-12 32 0z" fill="#e63946"/>` +
      `<path d="M32 6v14M26 14l6 6 6-6" fill="none" stroke="#343a40" stroke-width="3"/>`,
  ),
  rumble: svg(
    `<path d="M8 30c0-10 8-16 16-16s10 6 10 12v14H14c-4 0-6-4-6-10z" fill="#d00000"/><path d="M56 30c0-10-8-16-16-16s-10 6-10 12v14h20c4 0 6-4 6-10z" fill="#370617"/>` +
      `<path d="M14 40h16v8H14zM34 40h16v8H34z" fill="#f1faee"/>`,
  ),
  what: svg(
    `<path d="M22 22c0-8 6-12 11-12s11 4 11 11c0 9-11 9-11 19" fill="none" stroke="#7209b7" stroke-width="7"/><circle cx="33" cy="52" r="4.5" fill="#7209b7"/>`,
  ),
  yay: svg(
    `<ellipse cx="22" cy="22" rx="11" ry="13" fill="#ff006e"/><ellipse cx="42" cy="18" rx="11" ry="13" fill="#3a86ff"/><ellipse cx="34" cy="32" rx="10" ry="12" fill="#ffbe0b"/>` +
      `<path d="M22 35c2 8-2 14 6 24M42 31c-2 10 2 16-8 28M34 44c0 6 0 10-2 15" fill="none" stroke="#555" stroke-width="1.5"/>`,
  ),
  yeah: svg(
    `<circle cx="32" cy="36" r="22" fill="#ffd166"/><path d="M10 30h44" stroke="#222" stroke-width="3"/>` +
      `<path d="M14 30h16c0 8-3 10-8 10s-8-2-8-10zM34 30h16c0 8-3 10-8 10s-8-2-8-10z" fill="#111"/><path d="M24 48c4 3 12 3 16 0" fill="none" stroke="#222" stroke-width="3"/>`,
  ),
};
