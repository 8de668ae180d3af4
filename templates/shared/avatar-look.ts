// How a person's avatar looks, imported by the server's templates and by the browser's people
// picker, so both draw the same person the same way. Imports nothing, so the browser bundle can take it.

const AVATAR_COLOURS = 12;

export const initials = (name: string): string =>
  (name.match(/\b\p{L}|\b\p{N}/gu) ?? [name.charAt(0)]).slice(0, 3).join("").toUpperCase();

export const avatarClass = (userId: number): string => `avatar avatar--${userId % AVATAR_COLOURS}`;

/** Versioned by the picture's key, so a new picture is a new URL and the old one may be kept for long. */
export const avatarUrl = (userId: number, avatarKey: string | null): string => `/users/${userId}/avatar?v=${avatarKey ?? "initials"}`;
