// Boosts: the quick reactions and the "any text" box in a message's actions, and the boosts under
// a message: pressing someone else's adds the same one, pressing mine takes it back.
import { flash } from "./flash.ts";
import { receive } from "./messages.ts";

const me = () => document.body.dataset.userId!;

/** Marks the boosts I gave in a message (the fragment is the same for everyone). */
export function markMyBoosts(message: Element): void {
  for (const boost of message.querySelectorAll<HTMLElement>(".boost[data-booster-ids]")) {
    const mine = boost.dataset.boosterIds!.split(" ").includes(me());
    boost.classList.toggle("boost--mine", mine);
    // Pressed when it is mine (pressing takes it back); named with who gave it, which is only a tooltip on screen.
    boost.setAttribute("aria-pressed", String(mine));
    // The visible count stays in the name, so voice control's "click 3" still finds it.
    boost.setAttribute(
      "aria-label",
      `${boost.dataset.boost} ${boost.querySelector(".boost__count")?.textContent ?? ""}, from ${boost.title}`,
    );
  }
}

/** Sends the change and shows the answer at once; the same message also arrives over the socket. */
async function send(method: "POST" | "DELETE", path: string, body?: URLSearchParams): Promise<boolean> {
  const response = await fetch(path, { method, body, headers: { "HX-Request": "true", Accept: "text/html" } }).catch(() => null);
  if (!response) {
    flash("The boost could not be sent: check the connection and try again.");
    return false;
  }
  if (!response.ok) {
    flash(await response.text());
    return false;
  }
  receive(await response.text(), { live: true });
  return true;
}

const boost = (messageId: string, content: string) => send("POST", `/messages/${messageId}/boosts`, new URLSearchParams({ content }));

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const quick = target.closest<HTMLElement>("[data-boost-quick]");
  const bar = target.closest<HTMLElement>("[data-message-actions]");
  if (quick && bar?.dataset.messageId) void boost(bar.dataset.messageId, quick.dataset.boostQuick!);
  const existing = target.closest<HTMLElement>(".boost[data-boost]");
  const messageId = existing?.closest<HTMLElement>(".message[data-message-id]")?.dataset.messageId;
  if (!existing || !messageId) return;
  const mine = existing.dataset.boosterIds!.split(" ").indexOf(me());
  if (mine === -1) void boost(messageId, existing.dataset.boost!);
  else void send("DELETE", `/messages/${messageId}/boosts/${existing.dataset.boostIds!.split(" ")[mine]}`);
});

document.addEventListener("submit", async (event) => {
  const form = (event.target as Element).closest?.<HTMLFormElement>("[data-boost-form]");
  const messageId = form?.closest<HTMLElement>("[data-message-actions]")?.dataset.messageId;
  if (!form || !messageId) return;
  event.preventDefault();
  const input = form.elements.namedItem("content") as HTMLInputElement;
  if (await boost(messageId, input.value)) input.value = "";
});
