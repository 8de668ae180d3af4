// A list of suggestions under the composer (people for @, emoji for :shortcode:): one module
// keeps which option is active, answers the keys, and puts the chosen text in place of what was typed.

type Range = { start: number; end: number };

export class Suggestions {
  private active = 0;
  private range: Range | null = null;

  /** `listSelector` finds the <ul>; each option carries `data-<optionKey>`, and `textFor` says what choosing it writes. */
  constructor(
    private readonly listSelector: string,
    private readonly optionKey: string,
    private readonly textFor: (value: string) => string = (value) => value,
  ) {
    document.addEventListener("click", (event) => {
      const target = event.target as Element;
      const option = target.closest<HTMLElement>(`[data-${this.attribute}]`);
      if (option) this.choose(document.querySelector<HTMLTextAreaElement>("[data-composer] textarea")!, option.dataset[this.optionKey]!);
      else if (!target.closest(this.listSelector)) this.close();
    });
  }

  private get attribute(): string {
    return this.optionKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  }

  private list = () => document.querySelector<HTMLElement>(this.listSelector);
  private options = () => [...(this.list()?.querySelectorAll<HTMLElement>(`[data-${this.attribute}]`) ?? [])];

  /** Shows these options for the typed text at `range`; nothing to show closes the list. */
  show(options: HTMLElement[], range: Range): void {
    const menu = this.list();
    if (!menu || options.length === 0) {
      this.close();
      return;
    }
    this.range = range;
    for (const [i, option] of options.entries()) option.id = `${menu.id}_${i}`;
    menu.replaceChildren(...options);
    menu.hidden = false;
    // The composer keeps the focus; a screen reader follows the active option through it.
    this.input()?.setAttribute("aria-controls", menu.id);
    this.highlight(0);
  }

  close(): void {
    const menu = this.list();
    if (menu) {
      menu.hidden = true;
      menu.replaceChildren();
      const input = this.input();
      if (input?.getAttribute("aria-controls") === menu.id) {
        input.removeAttribute("aria-controls");
        input.removeAttribute("aria-activedescendant");
      }
    }
    this.range = null;
  }

  private input = () => document.querySelector<HTMLTextAreaElement>("[data-composer] textarea");

  /** Called by the composer before its own keys: true when the list used the key. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.list()?.hidden !== false || !this.range) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") this.highlight(this.active + (event.key === "ArrowDown" ? 1 : -1));
    else if (event.key === "Enter" || event.key === "Tab")
      this.choose(event.target as HTMLTextAreaElement, this.options()[this.active]!.dataset[this.optionKey]!);
    else if (event.key === "Escape") this.close();
    else return false;
    event.preventDefault();
    return true;
  }

  private highlight(index: number): void {
    const all = this.options();
    this.active = (index + all.length) % all.length;
    for (const [i, option] of all.entries()) option.setAttribute("aria-selected", String(i === this.active));
    if (all[this.active]) this.input()?.setAttribute("aria-activedescendant", all[this.active]!.id);
  }

  private choose(input: HTMLTextAreaElement, value: string): void {
    if (!this.range) return;
    const written = this.textFor(value);
    input.value = `${input.value.slice(0, this.range.start)}${written}${input.value.slice(this.range.end)}`;
    const caret = this.range.start + written.length;
    input.setSelectionRange(caret, caret);
    this.close();
    input.focus();
  }
}
