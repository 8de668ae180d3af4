// Flash messages close on click and fade away by themselves after a while.
import { onLoad } from "./on-load.ts";

const FLASH_LIFETIME_MS = 8000;

document.addEventListener("click", (event) => {
  const close = (event.target as Element).closest("[data-flash-close]");
  if (close) close.closest(".flash__message")?.remove();
});

onLoad((root) => {
  const messages = root.matches?.(".flash__message") ? [root] : root.querySelectorAll(".flash__message");
  for (const message of messages) setTimeout(() => message.remove(), FLASH_LIFETIME_MS);
});

/** Shows a refusal the server sent (a flash fragment or a page) as an alert, using only its text. */
export function flash(html: string): string {
  const holder = document.createElement("template");
  holder.innerHTML = html;
  const text = (holder.content.querySelector(".flash__message span, .form__error, .panel__text") ?? holder.content).textContent!.trim();
  const message = document.createElement("div");
  message.className = "flash__message flash__message--alert";
  message.setAttribute("role", "alert");
  const span = document.createElement("span");
  span.textContent = text || "Something went wrong.";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "flash__close";
  close.dataset.flashClose = "";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "×";
  message.append(span, close);
  document.getElementById("flash")?.append(message);
  setTimeout(() => message.remove(), FLASH_LIFETIME_MS);
  return span.textContent;
}
