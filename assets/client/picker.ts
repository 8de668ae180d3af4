// People pickers: type a name, pick from /autocompletable/users, and the person becomes a
// removable pill carrying a hidden user_ids field.
type Person = { id: number; name: string };

const DEBOUNCE_MS = 200;
let timer: ReturnType<typeof setTimeout> | undefined;

const chosenIds = (picker: Element) =>
  new Set([...picker.querySelectorAll<HTMLElement>("[data-picker-selected] [data-user-id]")].map((pill) => pill.dataset.userId));

function choose(picker: Element, person: Person) {
  if (chosenIds(picker).has(String(person.id))) return;
  const template = picker.querySelector<HTMLTemplateElement>("template[data-picker-pill]")!;
  const pill = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
  pill.dataset.userId = String(person.id);
  pill.querySelector("input")!.value = String(person.id);
  pill.querySelector(".picker__name")!.textContent = person.name;
  pill.querySelector("[data-picker-remove]")!.setAttribute("aria-label", `Remove ${person.name}`);
  picker.querySelector("[data-picker-selected]")!.append(pill);
}

/**
 * The matches, as options of the search box (a combobox): arrows move the active one
 * (aria-activedescendant), Enter or a click picks it, so the options need no focus of their own.
 */
async function search(picker: Element, query: string) {
  const results = picker.querySelector("[data-picker-results]")!;
  const response = await fetch(`/autocompletable/users?query=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const chosen = chosenIds(picker);
  results.replaceChildren(
    ...((await response.json()) as Person[])
      .filter((person) => !chosen.has(String(person.id)))
      .map((person) => {
        const option = document.createElement("li");
        option.id = `${results.id}_${person.id}`;
        option.className = "picker__option";
        option.dataset.pickerOption = JSON.stringify({ id: person.id, name: person.name });
        option.textContent = person.name;
        option.setAttribute("role", "option");
        return option;
      }),
  );
  activate(picker, 0);
}

function activate(picker: Element, index: number) {
  const options = [...picker.querySelectorAll<HTMLElement>("[data-picker-option]")];
  const input = picker.querySelector<HTMLInputElement>("[data-picker-search]")!;
  input.setAttribute("aria-expanded", String(options.length > 0));
  const active = options.length ? (index + options.length) % options.length : -1;
  for (const [i, option] of options.entries()) option.setAttribute("aria-selected", String(i === active));
  if (active === -1) input.removeAttribute("aria-activedescendant");
  else input.setAttribute("aria-activedescendant", options[active]!.id);
}

document.addEventListener("input", (event) => {
  const input = (event.target as Element).closest?.<HTMLInputElement>("[data-picker-search]");
  if (!input) return;
  clearTimeout(timer);
  timer = setTimeout(() => search(input.closest("[data-picker]")!, input.value.trim()), DEBOUNCE_MS);
});

document.addEventListener("focusin", (event) => {
  const input = (event.target as Element).closest?.<HTMLInputElement>("[data-picker-search]");
  if (input && !input.value) void search(input.closest("[data-picker]")!, "");
});

// Up and Down move through the matches; Enter picks the active one instead of submitting the form.
document.addEventListener("keydown", (event) => {
  const input = (event.target as Element).closest?.("[data-picker-search]");
  if (!input) return;
  const picker = input.closest("[data-picker]")!;
  const options = [...picker.querySelectorAll<HTMLElement>("[data-picker-option]")];
  const active = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") activate(picker, active + (event.key === "ArrowDown" ? 1 : -1));
  else if (event.key === "Enter") options[Math.max(active, 0)]?.click();
  else return;
  event.preventDefault();
});

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const option = target.closest<HTMLElement>("[data-picker-option]");
  const remove = target.closest("[data-picker-remove]");
  if (option) {
    const picker = option.closest("[data-picker]")!;
    choose(picker, JSON.parse(option.dataset.pickerOption!) as Person);
    option.remove();
    activate(picker, 0);
    const input = picker.querySelector<HTMLInputElement>("[data-picker-search]")!;
    input.value = "";
    input.focus();
  } else if (remove) remove.closest("li")!.remove();
});
