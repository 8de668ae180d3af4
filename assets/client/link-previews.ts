// Pasting a lone link into the composer asks the server for its card (POST /unfurl_link) and shows
// it under the composer; the person may dismiss it. Sending takes the card's token along, and the
// server renders the card from its own copy: nothing the page said passes through here as HTML.

type Card = { id: string; url: string; title: string; description: string; image: string | null };

const LONE_LINK = /^https?:\/\/\S+$/i;
// Each paste supersedes the one before: a slow answer for an earlier link is dropped.
let asked = 0;

const box = () => document.querySelector<HTMLElement>("[data-link-preview]");

function show(card: Card) {
  const preview = box();
  if (!preview) return;
  preview.dataset.token = card.id;
  preview.querySelector<HTMLAnchorElement>(".link-preview")!.href = card.url;
  preview.querySelector(".link-preview__title")!.textContent = card.title;
  preview.querySelector(".link-preview__description")!.textContent = card.description;
  const image = preview.querySelector<HTMLImageElement>(".link-preview__image")!;
  image.hidden = !card.image;
  if (card.image) image.src = card.image;
  else image.removeAttribute("src");
  preview.hidden = false;
}

/** Hides the card and forgets it, and any answer still on its way. */
export function dismiss() {
  asked++;
  const preview = box();
  if (!preview) return;
  preview.hidden = true;
  delete preview.dataset.token;
}

/**
 * The card on show, which then goes with the message being sent: its token for the server, and a
 * copy of it for the pending message, so the card is there before the server confirms.
 */
export function take(): { token: string; card: HTMLAnchorElement } | undefined {
  const preview = box();
  const token = preview?.dataset.token;
  const card = token ? (preview!.querySelector<HTMLAnchorElement>(".link-preview")!.cloneNode(true) as HTMLAnchorElement) : null;
  dismiss();
  return token && card ? { token, card } : undefined;
}

/** As the server decides for a sent message (templates/messages/message.tsx): a body that is just the card's URL is hidden. */
export function isJustTheLink(text: string, card: HTMLAnchorElement): boolean {
  return URL.canParse(text.trim()) && new URL(text.trim()).href === card.href;
}

async function ask(url: string) {
  const ticket = ++asked;
  try {
    const response = await fetch("/unfurl_link", {
      method: "POST",
      headers: { Accept: "application/json" },
      body: new URLSearchParams({ url }),
    });
    // 204: the page gave nothing to show; other refusals aren't worth interrupting the person for.
    if (response.status !== 200 || ticket !== asked) return;
    show((await response.json()) as Card);
  } catch {
    // No card is no loss: the link itself is still in the message.
  }
}

// Either composer: the plain textarea or the toolbar's editor (Trix handles the paste on its element
// first, so this listens while the event goes down).
document.addEventListener(
  "paste",
  (event) => {
    const target = event.target as Element;
    if (!target.closest?.("[data-composer] :is(textarea[name=body], trix-editor)")) return;
    const text = event.clipboardData?.getData("text/plain").trim() ?? "";
    if (LONE_LINK.test(text)) void ask(text);
  },
  true,
);

document.addEventListener("click", (event) => {
  if ((event.target as Element).closest("[data-link-preview-dismiss]")) dismiss();
});
