// Copy buttons (the join link): put the value of the named field on the clipboard and say so.
const COPIED_FOR_MS = 2000;

async function copy(field: HTMLInputElement): Promise<void> {
  // The Clipboard API needs a secure context; on plain HTTP (a LAN install) selecting and copying still works.
  if (navigator.clipboard) await navigator.clipboard.writeText(field.value);
  else {
    field.select();
    document.execCommand("copy");
  }
}

document.addEventListener("click", (event) => {
  const button = (event.target as Element).closest?.<HTMLButtonElement>("[data-copy]");
  const field = button && document.getElementById(button.dataset.copy!);
  if (!button || !(field instanceof HTMLInputElement)) return;
  const label = button.dataset.label ?? button.textContent!;
  button.dataset.label = label;
  copy(field).then(
    () => {
      button.textContent = "Copied!";
      setTimeout(() => {
        button.textContent = label;
      }, COPIED_FOR_MS);
    },
    () => {
      // Refused (permissions): the link is selected, ready for the person to copy themselves.
      field.select();
    },
  );
});
