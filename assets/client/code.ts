// Code blocks in messages get a Copy button. Added here rather than stored with the message, so the
// copied text is the code alone and older messages (and any editor's <pre>) get one too.
const COPIED_MS = 1500;

export function addCopyButtons(message: HTMLElement): void {
  for (const pre of message.querySelectorAll<HTMLElement>(".message__body pre:not([data-copyable])")) {
    pre.dataset.copyable = "";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.dataset.copyCode = "";
    button.textContent = "Copy";
    pre.after(button);
  }
}

document.addEventListener("click", async (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>("[data-copy-code]");
  const pre = button?.previousElementSibling;
  if (!button || pre?.tagName !== "PRE") return;
  try {
    await navigator.clipboard.writeText(pre.textContent ?? "");
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed";
  }
  setTimeout(() => {
    button.textContent = "Copy";
  }, COPIED_MS);
});
