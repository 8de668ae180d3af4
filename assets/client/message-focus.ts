// The message list is one Tab stop (roving tabindex): Up/Down/Home/End move between messages, Tab
// from a message reaches its own links and actions, and only the message being looked at lends
// them to the Tab order, so the composer is not seventy stops away. Per-reader attributes only:
// the fragment the server sends is the same for everyone.
import { list } from "./message-list.ts";

const MESSAGE = ".message[data-message-id]:not(.message--editing)";
const INNER = "a[href], button, input, summary, [tabindex]";
const inActions = (element: Element) => element.closest("[data-message-actions]") !== null;

const messagesOf = (container: Element) => [...container.querySelectorAll<HTMLElement>(MESSAGE)];

/** A message's own controls leave the Tab order until the message is focused. */
function lend(message: HTMLElement, lent: boolean) {
  for (const control of message.querySelectorAll<HTMLElement>(INNER)) {
    if (control === message || inActions(control)) continue;
    control.tabIndex = lent ? 0 : -1;
  }
}

/** Prepares messages just placed in the list, and keeps exactly one Tab stop (the newest, until one is chosen). */
export function rove(container: HTMLElement, placed: Iterable<HTMLElement> = messagesOf(container)): void {
  for (const message of placed) {
    if (!message.matches(MESSAGE)) continue;
    message.tabIndex = -1;
    lend(message, false);
  }
  const all = messagesOf(container);
  const stops = all.filter((message) => message.tabIndex === 0);
  if (stops.length === 0 && all.length > 0) all[all.length - 1]!.tabIndex = 0;
}

/** Makes this message the list's Tab stop and focuses it. */
export function focusMessage(message: HTMLElement): void {
  const container = message.closest<HTMLElement>("[data-messages]");
  if (!container) return;
  for (const other of container.querySelectorAll<HTMLElement>('.message[tabindex="0"]')) if (other !== message) other.tabIndex = -1;
  message.tabIndex = 0;
  message.focus();
}

document.addEventListener("focusin", (event) => {
  const message = (event.target as Element).closest?.<HTMLElement>(MESSAGE);
  if (!message?.closest("[data-messages]")) return;
  if (message.tabIndex !== 0) focusMessage(message);
  lend(message, true);
});

document.addEventListener("focusout", (event) => {
  const message = (event.target as Element).closest?.<HTMLElement>(MESSAGE);
  const next = event.relatedTarget as Element | null;
  if (!message?.closest("[data-messages]") || (next && message.contains(next))) return;
  lend(message, false);
});

document.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement;
  const container = list();
  if (!container || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const message = target.closest?.<HTMLElement>(MESSAGE);
  if (!message || !container.contains(message)) return;
  // Escape inside a message (its actions, its links) comes back to the message itself.
  if (event.key === "Escape" && target !== message) {
    event.preventDefault();
    focusMessage(message);
    return;
  }
  if (target !== message) return;
  const all = messagesOf(container);
  const at = all.indexOf(message);
  const to = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: all.length - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  const next = all[Math.max(0, Math.min(all.length - 1, to))];
  if (next) {
    focusMessage(next);
    next.scrollIntoView({ block: "nearest" });
  }
});
