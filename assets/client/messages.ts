// The message list: places messages arriving from the server (POST replies, the socket, pages of
// history) exactly once and in order, marks mine and mentions of me, and manages scrolling.
import { domId, FRAME, PAGE_SIZE } from "../../src/realtime/protocol.ts";
import { announce } from "./announcer.ts";
import { markMyBoosts } from "./boosts.ts";
import { addCopyButtons } from "./code.ts";
import * as emoji from "./emoji.ts";
import { flash } from "./flash.ts";
import { composerInput } from "./keyboard.ts";
import * as mentions from "./mentions.ts";
import { focusMessage, rove } from "./message-focus.ts";
import { confirmed, list, noteChange } from "./message-list.ts";
import { onLoad } from "./on-load.ts";
import { isRich, type TrixElement } from "./rich-composer.ts";
import { on } from "./socket.ts";
import * as sounds from "./sounds.ts";

const NEAR_BOTTOM_PX = 100;
const NEAR_TOP_PX = 200;
const me = () => document.body.dataset.userId;

const nearBottom = (container: HTMLElement) => container.scrollHeight - container.scrollTop - container.clientHeight < NEAR_BOTTOM_PX;
const scrollToBottom = (container: HTMLElement) => {
  container.scrollTop = container.scrollHeight;
};

/** Per-reader touches on the shared fragment: mine, mentions me, times in my time zone. */
export function decorate(root: Element): void {
  const elements = root.matches?.(".message") ? [root as HTMLElement] : [...root.querySelectorAll<HTMLElement>(".message")];
  for (const message of elements) {
    message.classList.toggle("message--me", message.dataset.creatorId === me());
    const mentions = (message.dataset.mentions || "").split(" ");
    message.classList.toggle("message--mentioned", mentions.includes(me()!));
    markMyBoosts(message);
    addCopyButtons(message);
  }
  for (const time of root.querySelectorAll<HTMLTimeElement>("time[data-local-time]")) {
    const at = new Date(time.dateTime);
    time.textContent =
      time.dataset.localTime === "datetime"
        ? at.toLocaleString([], { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })
        : at.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    time.title = at.toLocaleString();
  }
}

const THREAD_GAP_MS = 5 * 60_000;
const dayOf = (ms: number) => new Date(ms).toDateString();

/**
 * Reading aids that depend on neighbours and the reader's calendar: a day heading where the date
 * changes, and consecutive messages by one person within five minutes shown as one block.
 */
function regroup(container: HTMLElement) {
  let previous: HTMLElement | null = null;
  for (const message of container.querySelectorAll<HTMLElement>(".message[data-created-at]")) {
    const at = Number(message.dataset.createdAt);
    const newDay = !previous || dayOf(at) !== dayOf(Number(previous.dataset.createdAt));
    message.classList.toggle("message--first-of-day", newDay);
    if (newDay) message.dataset.dayLabel = new Date(at).toLocaleDateString([], { weekday: "long", month: "long", day: "numeric" });
    message.classList.toggle(
      "message--threaded",
      !newDay && previous?.dataset.creatorId === message.dataset.creatorId && at - Number(previous!.dataset.createdAt) < THREAD_GAP_MS,
    );
    previous = message;
  }
}

/** Puts one message where it belongs: over its old self, over its pending copy, or in id order. */
function place(container: HTMLElement, message: HTMLElement, live: boolean) {
  const existing = document.getElementById(message.id);
  if (existing) {
    // Someone else's edit must not throw away an edit in progress here.
    if (existing.classList.contains("message--editing")) return true;
    // The shared actions bar may be in it (a boost re-renders the message being pointed at): keep it.
    if (existing.querySelector("[data-message-actions]")) parkActions();
    const focused = existing.contains(document.activeElement);
    message.tabIndex = existing.tabIndex;
    existing.replaceWith(message);
    // A boost pressed from the keyboard re-renders the message: the focus stays on it.
    if (focused) focusMessage(message);
    focusComposerAfterEdit();
    return true;
  }
  const clientId = message.dataset.clientMessageId;
  for (const pending of container.querySelectorAll<HTMLElement>(".message--pending"))
    if (pending.dataset.clientMessageId === clientId) pending.remove();
  // While reading older history, live messages would leave a gap; "Jump to latest" fetches them.
  if (live && container.dataset.hasNewer === "true") return false;
  const id = Number(message.dataset.messageId);
  // A live edit of a message older than the pages loaded: it shows, edited, when its page is.
  const oldest = confirmed(container)[0];
  if (live && oldest && id < Number(oldest.dataset.messageId) && container.dataset.hasOlder === "true") return false;
  let before: HTMLElement | null = null;
  for (const other of confirmed(container)) if (Number(other.dataset.messageId) < id) before = other;
  if (before) before.after(message);
  else container.prepend(message);
  return true;
}

/**
 * Messages as HTML or a parsed fragment; `live` when they came over the socket or as a POST reply,
 * `catchUp` when the socket brings what the tab missed while away (history: no sounds).
 */
export function receive(html: string | DocumentFragment, { live = true, own = false, catchUp = false } = {}): void {
  const container = list();
  if (!container) return;
  let fragment = html;
  if (typeof html === "string") {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    fragment = holder.content;
  }
  const wasNearBottom = nearBottom(container);
  let added = 0;
  const arrived: HTMLElement[] = [];
  const placed: HTMLElement[] = [];
  for (const incoming of (fragment as DocumentFragment).querySelectorAll(".message[data-message-id]")) {
    // A copy, so the frame stays whole for anyone else handling it.
    const message = document.importNode(incoming, true) as HTMLElement;
    decorate(message);
    const isNew = !document.getElementById(message.id);
    if (place(container, message, live)) {
      added += 1;
      placed.push(message);
      if (isNew) arrived.push(message);
    }
  }
  if (live && !catchUp) {
    sounds.arrived(arrived);
    for (const message of arrived) if (message.dataset.creatorId !== me()) announce(spoken(message));
  }
  regroup(container);
  rove(container, placed);
  updateEmptyNote();
  if (own || wasNearBottom) scrollToBottom(container);
  else if (added > 0) showJump(true);
}

/** A new message as a screen reader hears it: who, then what (a file's name when there is no text). */
const SPOKEN_CHARS = 300;
function spoken(message: HTMLElement): string {
  const author = message.querySelector(".message__author")?.textContent ?? "";
  const body =
    message.querySelector(".message__body")?.textContent?.trim() || message.querySelector(".attachment")?.textContent?.trim() || "";
  return `${author}: ${body.slice(0, SPOKEN_CHARS)}`;
}

function remove(messageId: string) {
  const message = document.getElementById(domId("message", messageId));
  const focused = message?.contains(document.activeElement);
  message?.remove();
  const container = list();
  if (container) {
    regroup(container);
    rove(container, []);
  }
  updateEmptyNote();
  if (focused) composerInput()?.focus();
}

function updateEmptyNote() {
  const note = document.querySelector<HTMLElement>("[data-empty-note]");
  const container = list();
  if (note && container) note.hidden = container.querySelector(".message") !== null || container.dataset.hasOlder === "true";
}

function showJump(visible: boolean) {
  const jump = document.querySelector<HTMLElement>("[data-jump-to-latest]");
  if (jump) jump.hidden = !visible;
}

// History in pages of PAGE_SIZE, fetched as the reader nears either end.
let loading = false;
async function loadPage(container: HTMLElement, direction: "before" | "after") {
  if (loading) return;
  const messages = confirmed(container);
  if (messages.length === 0) return;
  const anchor = direction === "before" ? messages[0]! : messages[messages.length - 1]!;
  loading = true;
  try {
    const response = await fetch(`/rooms/${container.dataset.roomId}/messages?${direction}=${anchor.dataset.messageId}`, {
      headers: { Accept: "text/html" },
    });
    if (!response.ok) return;
    const holder = document.createElement("template");
    holder.innerHTML = response.status === 204 ? "" : await response.text();
    const count = holder.content.querySelectorAll(".message").length;
    const height = container.scrollHeight;
    const top = container.scrollTop;
    receive(holder.content, { live: false });
    if (direction === "before") {
      container.scrollTop = top + (container.scrollHeight - height);
      if (count < PAGE_SIZE) container.dataset.hasOlder = "false";
    } else if (count < PAGE_SIZE) container.dataset.hasNewer = "false";
  } finally {
    loading = false;
  }
}

function onScroll(event: Event) {
  const container = event.currentTarget as HTMLElement;
  if (container.scrollTop < NEAR_TOP_PX && container.dataset.hasOlder === "true") void loadPage(container, "before");
  if (nearBottom(container)) {
    if (container.dataset.hasNewer === "true") void loadPage(container, "after");
    else showJump(false);
  }
}

function jumpToLatest() {
  const container = list();
  if (!container) return;
  if (container.dataset.hasNewer === "true") window.location.href = `/rooms/${container.dataset.roomId}`;
  else scrollToBottom(container);
  showJump(false);
}

// Boosts, edit and delete: one shared bar, moved into whichever message is pointed at; edit and
// delete only show on messages I may change.
function canChange(message: HTMLElement) {
  return message.dataset.creatorId === me() || document.body.dataset.userRole === "admin";
}

function showActions(event: Event) {
  const message = (event.target as Element).closest?.<HTMLElement>(".message[data-message-id]:not(.message--editing)");
  const bar = document.querySelector<HTMLElement>("[data-message-actions]");
  if (!message || !bar || bar.parentElement === message.querySelector(".message__meta")) return;
  message.querySelector(".message__meta")?.append(bar);
  for (const control of bar.querySelectorAll<HTMLElement>("[data-message-edit], [data-message-delete]"))
    control.hidden = !canChange(message);
  nameActions(bar, message);
  bar.hidden = false;
  bar.dataset.messageId = message.dataset.messageId;
}

/** Each action names the message it acts on: "Edit message from Ada at 3:07 PM". */
function nameActions(bar: HTMLElement, message: HTMLElement) {
  const author = message.querySelector(".message__author")?.textContent ?? "";
  const which = `message from ${author} at ${message.querySelector(".message__time time")?.textContent ?? ""}`;
  for (const button of bar.querySelectorAll<HTMLElement>("[data-boost-quick]"))
    button.setAttribute("aria-label", `Boost ${which} with ${button.dataset.boostQuick}`);
  bar.querySelector("[data-boost-form] input")?.setAttribute("aria-label", `Boost ${which} with any text`);
  bar.querySelector("[data-message-reply]")?.setAttribute("aria-label", `Reply to ${which}`);
  bar.querySelector("[data-message-edit]")?.setAttribute("aria-label", `Edit ${which}`);
  bar.querySelector("[data-message-delete]")?.setAttribute("aria-label", `Delete ${which}`);
}

function parkActions() {
  const bar = document.querySelector<HTMLElement>("[data-message-actions]");
  const room = document.querySelector("main.room");
  if (bar && room) {
    bar.hidden = true;
    room.append(bar);
  }
}

function edit(messageId: string) {
  const container = list()!;
  parkActions();
  // Marked as being edited now, not when the form arrives: the pointer still over it would otherwise
  // bring the shared actions bar back into it (mouseover), and the swap would throw the bar away.
  document.getElementById(domId("message", messageId))?.classList.add("message--editing");
  htmx.ajax("get", `/rooms/${container.dataset.roomId}/messages/${messageId}/edit`, {
    target: `#${domId("message", messageId)}`,
    swap: "outerHTML",
  });
}

function destroy(messageId: string) {
  const container = list()!;
  if (!window.confirm("Delete this message?")) return;
  parkActions();
  void fetch(`/rooms/${container.dataset.roomId}/messages/${messageId}`, { method: "DELETE", headers: { "HX-Request": "true" } }).then(
    async (response) => {
      if (response.ok) remove(messageId);
      else flash(await response.text());
    },
  );
}

/** Up arrow in an empty composer: edit my latest message. */
export function editLast(): boolean {
  const mine = list()?.querySelectorAll<HTMLElement>(".message--me[data-message-id]:not(.message--editing)");
  if (mine?.length) edit(mine[mine.length - 1]!.dataset.messageId!);
  return Boolean(mine?.length);
}

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const bar = target.closest<HTMLElement>("[data-message-actions]");
  if (target.closest("[data-jump-to-latest]")) jumpToLatest();
  else if (bar && target.closest("[data-message-edit]")) edit(bar.dataset.messageId!);
  else if (bar && target.closest("[data-message-delete]")) destroy(bar.dataset.messageId!);
});
document.addEventListener("mouseover", showActions);
document.addEventListener("focusin", showActions);
// The keyboard left a message: its actions go with it (unless the pointer is still on it), so they
// are not a Tab stop in a message that is not being looked at.
document.addEventListener("focusout", (event) => {
  const message = (event.target as Element).closest?.<HTMLElement>(".message[data-message-id]");
  const next = event.relatedTarget as Element | null;
  if (!message || (next && message.contains(next)) || message.matches(":hover")) return;
  // Hidden already means it is being parked (moving the focused bar fires this focusout again).
  if (message.querySelector("[data-message-actions]:not([hidden])")) parkActions();
});
// In the capture phase, before Trix acts on Enter itself; the @ and : lists take their keys first.
document.addEventListener(
  "keydown",
  (event) => {
    const editor = (event.target as Element).closest?.<HTMLElement>(".message--editing [data-edit-body]");
    const form = editor?.closest<HTMLFormElement>("form");
    if (!editor || !form) return;
    if (mentions.handleKey(event) || emoji.handleKey(event)) {
      event.stopPropagation();
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      // As with Enter below: a fast Escape must find Cancel already wired up by htmx.
      htmx.process(form);
      form.querySelector<HTMLElement>("[data-edit-cancel]")?.click();
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      event.stopPropagation();
      // htmx wires swapped-in content up after its settle delay; a fast Enter must not fall back to a native GET submit.
      htmx.process(form);
      // Trix writes its HTML into the hidden body_html on the next animation frame.
      if (editor.localName === "trix-editor") requestAnimationFrame(() => form.requestSubmit());
      else form.requestSubmit();
    }
  },
  true,
);

/** The editor just swapped in takes the cursor (at the end of the text), with its buttons in view. */
function focusEditor(form: HTMLFormElement) {
  const editor = form.querySelector<HTMLElement>("[data-edit-body]");
  if (editor instanceof HTMLTextAreaElement) {
    editor.focus({ preventScroll: true });
    editor.setSelectionRange(editor.value.length, editor.value.length);
  } else if (editor && (editor as TrixElement).editor) {
    // Trix may be ready when the form is swapped in and says so (trix-initialize) a frame later: by then
    // the cursor is placed, perhaps moved by the person already, and stays where it is.
    if (document.activeElement === editor) return;
    const { editor: trix } = editor as TrixElement;
    editor.focus({ preventScroll: true });
    // Trix's document ends with a newline of its own; the caret goes before it.
    trix.setSelectedRange(trix.getDocument().getLength() - 1);
  } else return; // Trix not started yet: trix-initialize below comes back here.
  form.scrollIntoView({ block: "nearest" });
}

document.addEventListener("trix-initialize", (event) => {
  const form = (event.target as Element).closest<HTMLFormElement>("form.message--editing");
  if (form) focusEditor(form);
});

// Saving or cancelling an edit removes the focused editor: writing carries on in the composer,
// whichever one shows. Noted when the request starts, because the message swapped in may be replaced
// by the room's broadcast of the same edit before htmx announces it (htmx:load on a detached element
// never reaches the document).
let editClosing = false;
document.addEventListener("htmx:beforeRequest", (event) => {
  if ((event.target as Element).closest("form.message--editing")) editClosing = true;
});

function focusComposerAfterEdit() {
  if (!editClosing || document.activeElement !== document.body) return;
  editClosing = false;
  const composer = document.querySelector<HTMLFormElement>("[data-composer]");
  if (composer) composer.querySelector<HTMLElement>(isRich(composer) ? "trix-editor" : "textarea")?.focus();
}

onLoad((root) => {
  decorate(root);
  const current = list();
  if (root.matches?.("form.message--editing")) {
    editClosing = false; // refused and shown again: still editing
    focusEditor(root as HTMLFormElement);
  }
  if (root.matches?.(".message") && current) {
    regroup(current); // an edited message swapped back in
    rove(current, [root as HTMLElement]);
    focusComposerAfterEdit();
  }
  const container =
    root.querySelector?.<HTMLElement>("[data-messages]") ?? (root.matches?.("[data-messages]") ? (root as HTMLElement) : null);
  if (!container || container.dataset.ready) return;
  container.dataset.ready = "true";
  container.addEventListener("scroll", onScroll, { passive: true });
  regroup(container);
  rove(container);
  const highlighted = container.dataset.highlightId && document.getElementById(domId("message", container.dataset.highlightId));
  if (highlighted) {
    highlighted.classList.add("message--highlight");
    highlighted.scrollIntoView({ block: "center" });
    // A permalink (a search result, a shared link) is opened to read that message.
    focusMessage(highlighted);
  } else {
    scrollToBottom(container);
    // An opened room is for writing, except on a touch screen, where focus would raise the keyboard.
    if (!window.matchMedia("(pointer: coarse)").matches) composerInput()?.focus({ preventScroll: true });
  }
  updateEmptyNote();
});

on(FRAME.messages, (data, content) => {
  const container = list();
  if (container && container.dataset.roomId === data.roomId) receive(content, { catchUp: data.catchUp === "true" });
  for (const message of content.querySelectorAll<HTMLElement>("[data-change-seq]"))
    noteChange(data.roomId, Number(message.dataset.changeSeq));
});
on(FRAME.messageRemoved, (data) => {
  remove(data.messageId);
  noteChange(data.roomId, Number(data.changeSeq));
});
