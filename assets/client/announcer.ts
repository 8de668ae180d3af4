// What a screen reader is told as it happens: one polite log, written by the client only, so each
// thing is said once. The message list itself is a log with aria-live="off": its nodes are
// replaced as a message goes pending → confirmed → live, which would be read three times.
const KEPT = 5;

export function announce(text: string): void {
  const log = document.querySelector("[data-announcer]");
  if (!log || !text) return;
  const line = document.createElement("p");
  line.textContent = text;
  log.append(line);
  while (log.childElementCount > KEPT) log.firstElementChild!.remove();
}
