// The composer: Enter sends, Shift+Enter adds a line. A message shows at once as pending, is
// confirmed in place by the server's fragment, and can be retried (same client_message_id, so
// never twice) when posting fails. Typing is announced to the room, throttled.
import { TYPING_THROTTLE_MS, type TypingState } from "../../src/realtime/protocol.ts";
import { flash } from "./flash.ts";
import * as emoji from "./emoji.ts";
import * as mentions from "./mentions.ts";
import * as messages from "./messages.ts";
import { send as sendFrame } from "./socket.ts";

let lastTypingSent = 0;

const roomId = (form: HTMLFormElement) => Number(form.closest<HTMLElement>("main.room")!.dataset.roomId);

function typing(form: HTMLFormElement, state: TypingState) {
  const now = Date.now();
  if (state === "start" && now - lastTypingSent < TYPING_THROTTLE_MS) return;
  lastTypingSent = state === "start" ? now : 0;
  sendFrame({ type: "typing", room_id: roomId(form), state });
}

function pendingMessage(text: string, clientMessageId: string) {
  const template = document.getElementById("pending_message_template") as HTMLTemplateElement;
  const copy = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
  copy.dataset.clientMessageId = clientMessageId;
  copy.dataset.creatorId = document.body.dataset.userId;
  copy.classList.add("message--me");
  copy.querySelector(".message__author")!.textContent = document.body.dataset.userName ?? null;
  copy.querySelector(".message__body")!.textContent = text;
  return copy;
}

function fail(pending: HTMLElement, reason: string) {
  pending.classList.add("message--failed");
  pending.querySelector(".message__status")!.textContent = reason;
  pending.querySelector<HTMLElement>("[data-retry]")!.hidden = false;
}

async function post(form: HTMLFormElement, pending: HTMLElement, text: string) {
  pending.classList.remove("message--failed");
  pending.querySelector(".message__status")!.textContent = "Sending…";
  pending.querySelector<HTMLElement>("[data-retry]")!.hidden = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "HX-Request": "true", Accept: "text/html" },
      body: new URLSearchParams({ body: text, client_message_id: pending.dataset.clientMessageId! }),
    });
    const html = await response.text();
    if (response.ok) messages.receive(html, { own: true });
    else if (response.status === 401) window.location.href = "/session/new";
    else fail(pending, `Not sent: ${flash(html)}`);
  } catch {
    fail(pending, "Not sent: no connection.");
  }
}

function send(form: HTMLFormElement) {
  const input = form.elements.namedItem("body") as HTMLTextAreaElement;
  const text = input.value;
  if (!text.trim()) return;
  const pending = pendingMessage(text, crypto.randomUUID());
  const list = document.querySelector("[data-messages]")!;
  list.append(pending);
  list.scrollTop = list.scrollHeight;
  document.querySelector("[data-empty-note]")?.setAttribute("hidden", "");
  input.value = "";
  mentions.close();
  emoji.close();
  resize(input);
  typing(form, "stop");
  post(form, pending, text);
}

function resize(input: HTMLTextAreaElement) {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight}px`;
}

document.addEventListener("submit", (event) => {
  const form = (event.target as Element).closest<HTMLFormElement>("[data-composer]");
  if (!form) return;
  event.preventDefault();
  send(form);
});

document.addEventListener("keydown", (event) => {
  const input = event.target as HTMLTextAreaElement;
  const form = input.closest?.<HTMLFormElement>("[data-composer]");
  if (!form || input.name !== "body" || mentions.handleKey(event) || emoji.handleKey(event)) return;
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send(form);
  } else if (event.key === "ArrowUp" && input.value === "" && messages.editLast()) {
    event.preventDefault();
  }
});

document.addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  const form = input.closest?.<HTMLFormElement>("[data-composer]");
  if (!form) return;
  resize(input);
  typing(form, input.value.trim() ? "start" : "stop");
});

document.addEventListener("click", (event) => {
  const retry = (event.target as Element).closest("[data-retry]");
  if (!retry) return;
  const pending = retry.closest<HTMLElement>(".message--pending")!;
  post(document.querySelector<HTMLFormElement>("[data-composer]")!, pending, pending.querySelector(".message__body")!.textContent!);
});
