// Search from anywhere: `/` focuses the search box (the search page's, else the jump dialog's),
// Ctrl/Cmd+K opens the "jump to" dialog (rooms from the sidebar, then "Search messages for …"),
// and the filter chips under the search page's box add themselves to what is typed.

export {}; // a module: its names stay its own (lightbox.ts has a `dialog` too)

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

const searchBox = () => document.querySelector<HTMLInputElement>("[data-search-box]");

type Entry = { label: string; href: string };

let dialog: HTMLDialogElement | null = null;
let input: HTMLInputElement;
let list: HTMLUListElement;
let entries: Entry[] = [];
let active = 0;
let returnFocus: HTMLElement | null = null;

/** A sidebar entry's name; a direct room's are its people's names but the reader's own (hidden). */
function roomLabel(link: HTMLAnchorElement): string {
  const names = [...link.querySelectorAll(".direct-names__name:not([hidden])")].map((name) => name.textContent.trim());
  return (names.length ? names.join(", ") : link.textContent).replace(/\s+/g, " ").trim();
}

/** The rooms the sidebar lists, by the name it shows (a direct room's other people). */
function rooms(): Entry[] {
  return [...document.querySelectorAll<HTMLAnchorElement>(".sidebar__room")].map((link) => ({
    label: roomLabel(link),
    href: link.getAttribute("href")!,
  }));
}

function render() {
  const typed = input.value.trim();
  const wanted = typed.toLowerCase();
  entries = rooms().filter((room) => room.label.toLowerCase().includes(wanted));
  if (typed) entries.push({ label: `Search messages for “${typed}”`, href: `/searches?q=${encodeURIComponent(typed)}` });
  active = Math.min(active, Math.max(entries.length - 1, 0));
  list.replaceChildren(
    ...entries.map((entry, index) => {
      const item = document.createElement("li");
      item.className = "jump__entry";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", String(index === active));
      item.id = `jump_entry_${index}`;
      // An option is not a link inside an option (axe: nested-interactive); a click goes where Enter does.
      item.textContent = entry.label;
      item.addEventListener("click", () => location.assign(entry.href));
      return item;
    }),
  );
  if (entries.length) input.setAttribute("aria-activedescendant", `jump_entry_${active}`);
  else input.removeAttribute("aria-activedescendant");
}

function build(): HTMLDialogElement {
  const element = document.createElement("dialog");
  element.className = "jump";
  element.setAttribute("aria-label", "Jump to a room or search");
  input = document.createElement("input");
  input.type = "text";
  input.className = "field__input jump__input";
  input.placeholder = "Jump to a room, or search messages…";
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", "jump_list");
  input.setAttribute("aria-expanded", "true"); // the list shows whenever the box does
  input.setAttribute("aria-label", "Jump to a room or search messages");
  list = document.createElement("ul");
  list.id = "jump_list";
  list.className = "jump__list";
  list.setAttribute("role", "listbox");
  element.append(input, list);
  input.addEventListener("input", () => {
    active = 0;
    render();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (entries.length) active = (active + (event.key === "ArrowDown" ? 1 : entries.length - 1)) % entries.length;
      render();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const entry = entries[active];
      if (entry) location.assign(entry.href);
    }
  });
  // A click outside the box (on the backdrop) closes it, as Escape does.
  element.addEventListener("click", (event) => {
    if (event.target === element) element.close();
  });
  element.addEventListener("close", () => {
    returnFocus?.focus();
    returnFocus = null;
  });
  document.body.append(element);
  return element;
}

function openJump() {
  dialog ??= build();
  if (dialog.open) return;
  returnFocus = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  input.value = "";
  active = 0;
  render();
  dialog.showModal();
  input.focus();
}

document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
    event.preventDefault();
    openJump();
  } else if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
    event.preventDefault();
    const box = searchBox();
    if (box) {
      box.focus();
      box.select();
    } else openJump();
  }
});

document.addEventListener("click", (event) => {
  const chip = (event.target as Element).closest?.<HTMLElement>("[data-search-filter]");
  const box = searchBox();
  if (!chip || !box) return;
  const filter = chip.dataset.searchFilter!;
  if (!box.value.includes(filter)) box.value = `${box.value.trim()} ${filter}`.trim();
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});
