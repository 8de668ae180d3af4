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
        const button = document.createElement("button");
        button.type = "button";
        button.className = "picker__option";
        button.dataset.pickerOption = JSON.stringify({ id: person.id, name: person.name });
        button.textContent = person.name;
        option.setAttribute("role", "option");
        option.append(button);
        return option;
      }),
  );
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

// Enter in the search box picks the first match instead of submitting the form.
document.addEventListener("keydown", (event) => {
  const input = (event.target as Element).closest?.("[data-picker-search]");
  if (!input || event.key !== "Enter") return;
  event.preventDefault();
  input.closest("[data-picker]")!.querySelector<HTMLElement>("[data-picker-option]")?.click();
});

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const option = target.closest<HTMLElement>("[data-picker-option]");
  const remove = target.closest("[data-picker-remove]");
  if (option) {
    const picker = option.closest("[data-picker]")!;
    choose(picker, JSON.parse(option.dataset.pickerOption!) as Person);
    option.closest("li")!.remove();
    const input = picker.querySelector<HTMLInputElement>("[data-picker-search]")!;
    input.value = "";
    input.focus();
  } else if (remove) remove.closest("li")!.remove();
});
