// @ts-nocheck: still the plain script, joined as text; typed in the next commit.
// @mentions in the composer: typing "@" and a few letters offers the room's people; Enter or Tab
// puts "@Full Name " in the text, which the server turns into a mention.
(() => {
  const DEBOUNCE_MS = 150;
  const TRIGGER = /(^|\s)@([^\s@]{0,30})$/u;
  let timer = null;
  let active = 0;
  let match = null;

  const list = () => document.querySelector("[data-mention-list]");
  const options = () => [...(list()?.querySelectorAll("[data-mention-option]") ?? [])];

  function close() {
    const menu = list();
    if (menu) {
      menu.hidden = true;
      menu.replaceChildren();
    }
    match = null;
  }

  function highlight(index) {
    const all = options();
    active = (index + all.length) % all.length;
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
  }

  async function suggest(input) {
    const before = input.value.slice(0, input.selectionStart);
    const found = TRIGGER.exec(before);
    if (!found) return close();
    const roomId = input.closest("main.room").dataset.roomId;
    const response = await fetch(`/autocompletable/users?room_id=${roomId}&query=${encodeURIComponent(found[2])}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return close();
    const people = (await response.json()).filter((person) => String(person.id) !== document.body.dataset.userId);
    const menu = list();
    if (!menu || people.length === 0) return close();
    match = { start: before.length - found[2].length - 1, end: before.length };
    menu.replaceChildren(
      ...people.slice(0, 8).map((person) => {
        const option = document.createElement("li");
        option.setAttribute("role", "option");
        option.className = "composer__mention";
        option.dataset.mentionOption = person.name;
        option.textContent = person.name;
        return option;
      }),
    );
    menu.hidden = false;
    highlight(0);
  }

  function choose(input, name) {
    if (!match) return;
    input.value = `${input.value.slice(0, match.start)}@${name} ${input.value.slice(match.end)}`;
    const caret = match.start + name.length + 2;
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
  }

  /** Called by the composer before its own keys: true when the menu used the key. */
  function handleKey(event) {
    if (list()?.hidden !== false || !match) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    else if (event.key === "Enter" || event.key === "Tab") choose(event.target, options()[active].dataset.mentionOption);
    else if (event.key === "Escape") close();
    else return false;
    event.preventDefault();
    return true;
  }

  document.addEventListener("input", (event) => {
    if (!event.target.closest?.("[data-composer]") || event.target.name !== "body") return;
    clearTimeout(timer);
    timer = setTimeout(() => suggest(event.target), DEBOUNCE_MS);
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-mention-option]");
    if (option) choose(document.querySelector("[data-composer] textarea"), option.dataset.mentionOption);
    else if (!event.target.closest("[data-mention-list]")) close();
  });

  Campfire.mentions = { handleKey, close };
})();
