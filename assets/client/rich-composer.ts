// The toolbar composer (Trix) next to the plain one: which one shows is remembered per browser, and
// Reply puts a quote of a message into it. Trix is its own script on the room page (trix.js), and
// adds its <style> elements with the page's CSP nonce (<meta name="csp-nonce">).

/** The part of Trix's editor API the composers and the @ and : lists use. */
type TrixEditor = {
  loadHTML(html: string): void;
  insertHTML(html: string): void;
  insertString(text: string): void;
  getDocument(): { toString(): string; getLength(): number };
  getSelectedRange(): [number, number];
  setSelectedRange(range: number | [number, number]): void;
};
export type TrixElement = HTMLElement & { editor: TrixEditor; value: string };

const STORAGE_KEY = "campfire.composer";
const QUOTED_LINES = 3;
const QUOTED_CHARS = 280;

const editorOf = (form: HTMLFormElement) => form.querySelector<TrixElement>("trix-editor");
const textareaOf = (form: HTMLFormElement) => form.querySelector<HTMLTextAreaElement>("textarea[name=body]")!;

export const isRich = (form: HTMLFormElement): boolean => form.dataset.mode === "rich";

/** What the rich editor holds: its HTML (what is posted) and its text (what the pending copy shows). */
export function richContent(form: HTMLFormElement): { html: string; text: string } {
  const editor = editorOf(form)!;
  // Trix's document always ends with a newline of its own.
  return { html: editor.value, text: editor.editor.getDocument().toString().replace(/\n$/, "") };
}

export function clearRich(form: HTMLFormElement): void {
  editorOf(form)?.editor.loadHTML("");
}

/** Shows one composer or the other, carrying over what was typed as text. */
export function setMode(form: HTMLFormElement, rich: boolean): void {
  const editor = editorOf(form);
  if (!editor?.editor || isRich(form) === rich) return;
  const textarea = textareaOf(form);
  if (rich) {
    editor.editor.loadHTML("");
    if (textarea.value) editor.editor.insertString(textarea.value);
    textarea.value = "";
  } else {
    textarea.value = richContent(form).text;
    editor.editor.loadHTML("");
  }
  form.dataset.mode = rich ? "rich" : "plain";
  // Disabled, the hidden textarea's `required` no longer stops the form from being sent.
  textarea.hidden = textarea.disabled = rich;
  form.querySelector<HTMLElement>("[data-composer-rich]")!.hidden = !rich;
  form.querySelector("[data-composer-toggle]")!.setAttribute("aria-pressed", String(rich));
  localStorage.setItem(STORAGE_KEY, rich ? "rich" : "plain");
  (rich ? editor : textarea).focus();
}

/**
 * Reply: a quote of the message (its first lines as shown, its author and a link to it) at the start
 * of the rich composer. Built from the message's text with DOM nodes, never from its HTML.
 */
function reply(form: HTMLFormElement, message: HTMLElement) {
  // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, its <br>s read as line breaks
  const lines = (message.querySelector<HTMLElement>(".message__body")?.innerText ?? "").split("\n").filter((line) => line.trim());
  let quoted = lines.slice(0, QUOTED_LINES).join("\n");
  if (quoted.length > QUOTED_CHARS) quoted = `${quoted.slice(0, QUOTED_CHARS)}…`;
  else if (lines.length > QUOTED_LINES) quoted += "…";
  const blockquote = document.createElement("blockquote");
  for (const [index, line] of quoted.split("\n").entries()) {
    if (index > 0) blockquote.append(document.createElement("br"));
    blockquote.append(line);
  }
  // Who said it, as a plain line: Trix reads a <cite> as italics (its browser style), which the
  // quote would then be sent with.
  const byline = document.createElement("div");
  const link = document.createElement("a");
  link.setAttribute("href", message.querySelector(".message__time")?.getAttribute("href") ?? "");
  link.textContent = "#";
  byline.append(`${message.querySelector(".message__author")?.textContent ?? ""} `, link);
  setMode(form, true);
  const editor = editorOf(form)!;
  // An empty line after the quote, so the answer starts on a line of its own, not in the byline.
  editor.editor.insertHTML(`${blockquote.outerHTML}${byline.outerHTML}<div><br></div>`);
  editor.focus();
}

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const form = document.querySelector<HTMLFormElement>("[data-composer]");
  if (!form) return;
  if (target.closest("[data-composer-toggle]")) setMode(form, !isRich(form));
  const bar = target.closest<HTMLElement>("[data-message-actions]");
  if (bar && target.closest("[data-message-reply]")) {
    const message = document.querySelector<HTMLElement>(`.message[data-message-id="${CSS.escape(bar.dataset.messageId ?? "")}"]`);
    if (message) reply(form, message);
  }
});

// Files are posted as messages of their own, not dropped into the text.
document.addEventListener("trix-file-accept", (event) => event.preventDefault());

// Trix defines its elements a moment after loading; the remembered composer shows once they are ready.
document.addEventListener("trix-initialize", (event) => {
  const form = (event.target as Element).closest<HTMLFormElement>("[data-composer]");
  if (form && localStorage.getItem(STORAGE_KEY) === "rich") setMode(form, true);
});
