/** Runs `callback` now and again for everything htmx swaps in later. */
export function onLoad(callback: (root: Element) => void): void {
  document.addEventListener("DOMContentLoaded", () => callback(document.body));
  document.addEventListener("htmx:load", (event) => callback(event.target as Element));
}
