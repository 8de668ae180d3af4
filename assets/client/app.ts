// @ts-nocheck: still the plain script, joined as text; typed in the next commit.
// Campfire's client: small modules joined into one file. Behaviour hangs off data attributes
// because the Content-Security-Policy forbids inline handlers.
window.Campfire = window.Campfire || {};

/** Runs `callback` now and again for everything htmx swaps in later. */
Campfire.onLoad = function onLoad(callback) {
  document.addEventListener("DOMContentLoaded", () => callback(document.body));
  document.addEventListener("htmx:load", (event) => callback(event.target));
};
