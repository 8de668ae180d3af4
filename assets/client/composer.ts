// The composer, plain or with the toolbar (rich-composer.ts): Enter sends, Shift+Enter adds a line,
// Ctrl/Cmd+Enter always sends; on a touch screen Enter adds a line and the Send button sends. A
// message shows at once as pending, is confirmed in place by the server's fragment, and can be
// retried (same client_message_id, so never twice) when posting fails. Typing is announced to the
// room, throttled.
import { TYPING_THROTTLE_MS, type TypingState } from "../../src/realtime/protocol.ts";
import * as emoji from "./emoji.ts";
import { flash } from "./flash.ts";
import * as linkPreviews from "./link-previews.ts";
import * as mentions from "./mentions.ts";
import * as messages from "./messages.ts";
import { clearRich, isRich, richContent } from "./rich-composer.ts";
import { send as sendFrame } from "./socket.ts";

let lastTypingSent = 0;
const touchScreen = window.matchMedia("(pointer: coarse)");

const roomId = (form: HTMLFormElement) => Number(form.closest<HTMLElement>("main.room")!.dataset.roomId);

function typing(form: HTMLFormElement, state: TypingState) {
  const now = Date.now();
  if (state === "start" && now - lastTypingSent < TYPING_THROTTLE_MS) return;
  lastTypingSent = state === "start" ? now : 0;
  sendFrame({ type: "typing", room_id: roomId(form), state });
}

/** What is posted: the text as typed, or the toolbar composer's HTML (kept on the pending copy for a retry). */
type Body = { body: string } | { body_html: string };

function pendingMessage(text: string, body: Body, clientMessageId: string) {
  const template = document.getElementById("pending_message_template") as HTMLTemplateElement;
  const copy = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
  copy.dataset.clientMessageId = clientMessageId;
  copy.dataset.creatorId = document.body.dataset.userId;
  copy.classList.add("message--me");
  copy.querySelector(".message__author")!.textContent = document.body.dataset.userName ?? null;
  copy.querySelector(".message__body")!.textContent = text;
  if ("body_html" in body) copy.dataset.bodyHtml = body.body_html;
  return copy;
}

function fail(pending: HTMLElement, reason: string) {
  pending.classList.add("message--failed");
  pending.querySelector(".message__status")!.textContent = reason;
  pending.querySelector<HTMLElement>("[data-retry]")!.hidden = false;
}

async function post(form: HTMLFormElement, pending: HTMLElement, body: Body) {
  pending.classList.remove("message--failed");
  pending.querySelector(".message__status")!.textContent = "Sending…";
  pending.querySelector<HTMLElement>("[data-retry]")!.hidden = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "HX-Request": "true", Accept: "text/html" },
      body: new URLSearchParams({
        ...body,
        client_message_id: pending.dataset.clientMessageId!,
        ...(pending.dataset.unfurl ? { unfurl: pending.dataset.unfurl } : {}),
      }),
    });
    const html = await response.text();
    if (response.ok) messages.receive(html, { own: true });
    else if (response.status === 401) window.location.href = "/session/new";
    else fail(pending, `Not sent: ${flash(html)}`);
  } catch {
    fail(pending, "Not sent: no connection.");
  }
}

let richSendQueued = false;

function send(form: HTMLFormElement) {
  if (!isRich(form)) return sendNow(form);
  // Trix writes its HTML on the next animation frame, so the last key typed is in it only after that.
  if (richSendQueued) return;
  richSendQueued = true;
  requestAnimationFrame(() => {
    richSendQueued = false;
    sendNow(form);
  });
}

function sendNow(form: HTMLFormElement) {
  const input = form.elements.namedItem("body") as HTMLTextAreaElement;
  const rich = isRich(form) ? richContent(form) : null;
  const text = rich ? rich.text : input.value;
  if (!text.trim()) return;
  const body: Body = rich ? { body_html: rich.html } : { body: text };
  const pending = pendingMessage(text, body, crypto.randomUUID());
  // Kept on the pending message, so a retry sends the same card; shown on it at once.
  const unfurl = linkPreviews.take();
  if (unfurl) {
    pending.dataset.unfurl = unfurl.token;
    pending.querySelector(".message__body")!.after(unfurl.card);
    if (linkPreviews.isJustTheLink(text, unfurl.card)) pending.querySelector<HTMLElement>(".message__body")!.hidden = true;
  }
  const list = document.querySelector("[data-messages]")!;
  list.append(pending);
  list.scrollTop = list.scrollHeight;
  document.querySelector("[data-empty-note]")?.setAttribute("hidden", "");
  if (rich) clearRich(form);
  else input.value = "";
  mentions.close();
  emoji.close();
  resize(input);
  typing(form, "stop");
  void post(form, pending, body);
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

/** The original's rules, for both composers. */
const sends = (event: KeyboardEvent) =>
  event.key === "Enter" && !event.isComposing && (event.metaKey || event.ctrlKey || (!event.shiftKey && !touchScreen.matches));

document.addEventListener("keydown", (event) => {
  const input = event.target as HTMLTextAreaElement;
  const form = input.closest?.<HTMLFormElement>("[data-composer]");
  if (!form || input.name !== "body" || mentions.handleKey(event) || emoji.handleKey(event)) return;
  if (sends(event)) {
    event.preventDefault();
    send(form);
  } else if (event.key === "ArrowUp" && input.value === "" && messages.editLast()) {
    event.preventDefault();
  }
});

// Trix acts on Enter and the arrows in its own keydown handler, so the toolbar composer's keys
// (and the @ and : lists' keys) are taken first.
document.addEventListener(
  "keydown",
  (event) => {
    const form = (event.target as Element).closest?.<HTMLFormElement>("trix-editor")?.closest<HTMLFormElement>("[data-composer]");
    if (!form) return;
    if (mentions.handleKey(event) || emoji.handleKey(event)) event.stopPropagation();
    else if (sends(event)) {
      event.preventDefault();
      event.stopPropagation();
      send(form);
    }
  },
  true,
);

document.addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  const form = input.closest?.<HTMLFormElement>("[data-composer]");
  if (!form) return;
  if (input instanceof HTMLTextAreaElement) resize(input);
  const text = isRich(form) ? richContent(form).text : input.value;
  typing(form, text.trim() ? "start" : "stop");
});

document.addEventListener("click", (event) => {
  const retry = (event.target as Element).closest("[data-retry]");
  if (!retry) return;
  const pending = retry.closest<HTMLElement>(".message--pending")!;
  const html = pending.dataset.bodyHtml;
  void post(
    document.querySelector<HTMLFormElement>("[data-composer]")!,
    pending,
    html === undefined ? { body: pending.querySelector(".message__body")!.textContent! } : { body_html: html },
  );
});
