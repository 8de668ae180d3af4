// Keyboard paths through the pages: the skip link, Escape for the menus built on <details>, and
// where the focus starts on a page of search results.
import { onLoad } from "./on-load.ts";

/** The composer that is showing: the plain box, or the toolbar editor when it is on. */
export const composerInput = (): HTMLElement | null =>
  document.querySelector<HTMLElement>("[data-composer] [data-composer-rich]:not([hidden]) trix-editor, [data-composer] textarea");

document.addEventListener("click", (event) => {
  if (!(event.target as Element).closest("[data-skip-to-composer]")) return;
  event.preventDefault();
  composerInput()?.focus();
});

// A menu that is a <details> (the bell, a message's folded boosts) closes on Escape, and the focus
// goes back to its summary, the control that opened it.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = (event.target as Element).closest?.("details[open]") ?? document.querySelector("details[open]");
  if (!open) return;
  event.preventDefault();
  open.removeAttribute("open");
  open.querySelector<HTMLElement>("summary")?.focus();
});

// A page of results is opened to read them: the focus starts on the first.
onLoad((root) => {
  root.querySelector?.<HTMLElement>(".search__list .search-result__room")?.focus();
});
