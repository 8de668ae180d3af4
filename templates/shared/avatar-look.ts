// How a person's avatar looks, imported by the server's templates and by the browser's people
// picker, so both draw the same person the same way. Imports nothing, so the browser bundle can take it.

// The same twelve colours as .avatar--0…11 in base.css (the default picture's SVG needs the values).
const AVATAR_PALETTE = [
  "#c2410c",
  "#0f766e",
  "#7c3aed",
  "#b45309",
  "#1d4ed8",
  "#be123c",
  "#15803d",
  "#a21caf",
  "#0369a1",
  "#4d7c0f",
  "#9f1239",
  "#57534e",
];
const AVATAR_COLOURS = AVATAR_PALETTE.length;

export const avatarColour = (userId: number): string => AVATAR_PALETTE[userId % AVATAR_COLOURS]!;

export const initials = (name: string): string => (name.match(/\b\p{L}|\b\p{N}/gu) ?? [name.charAt(0)]).slice(0, 3).join("").toUpperCase();

export const avatarClass = (userId: number): string => `avatar avatar--${userId % AVATAR_COLOURS}`;

/** Versioned by the picture's key, so a new picture is a new URL and the old one may be kept for long. */
export const avatarUrl = (userId: number, avatarKey: string | null): string => `/users/${userId}/avatar?v=${avatarVersion(avatarKey)}`;
export const avatarVersion = (avatarKey: string | null): string => avatarKey ?? "initials";
