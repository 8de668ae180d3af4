// A list of suggestions under a message field (people for @, emoji for :shortcode:): one module
// keeps which option is active, answers the keys, and puts the chosen text in place of what was
// typed. A field is the composer or an edit form's box, plain (a textarea) or with the toolbar (Trix).
import type { TrixElement } from "./rich-composer.ts";

type Range = { start: number; end: number };

/** Where suggestions are typed, read and written through the same three calls whichever editor it is. */
export type Field = {
  element: HTMLElement;
  /** The text from the start up to the caret. */
  textBeforeCaret(): string;
  /** Writes `text` over the characters from `start` to `end` and leaves the caret after it. */
  replace(start: number, end: number, text: string): void;
};

const FIELD_SCOPE = "[data-composer], .message--editing";
// The composer's lists are beside its form (in the footer); an edit form holds its own.
const LIST_SCOPE = ".composer, .message--editing";

/** The message field an event happened in, or null. */
export function fieldOf(target: EventTarget | null): Field | null {
  const element = target as HTMLElement | null;
  if (!element?.closest?.(FIELD_SCOPE)) return null;
  if (element instanceof HTMLTextAreaElement && element.name === "body") return textField(element);
  if (element.localName === "trix-editor" && (element as TrixElement).editor) return trixField(element as TrixElement);
  return null;
}

function textField(input: HTMLTextAreaElement): Field {
  return {
    element: input,
    textBeforeCaret: () => input.value.slice(0, input.selectionStart),
    replace(start, end, text) {
      input.value = `${input.value.slice(0, start)}${text}${input.value.slice(end)}`;
      input.setSelectionRange(start + text.length, start + text.length);
    },
  };
}

/** Trix counts positions in its document's text (each block ending in a newline), as its selection does. */
function trixField(element: TrixElement): Field {
  const { editor } = element;
  return {
    element,
    textBeforeCaret: () => editor.getDocument().toString().slice(0, editor.getSelectedRange()[0]),
    replace(start, end, text) {
      editor.setSelectedRange([start, end]);
      // As text, formatted like what is around it; a mention is "@Name" here too, linked by the server.
      editor.insertString(text);
    },
  };
}

export class Suggestions {
  private active = 0;
  private range: Range | null = null;
  private field: Field | null = null;

  /** `listSelector` finds the <ul>; each option carries `data-<optionKey>`, and `textFor` says what choosing it writes. */
  constructor(
    private readonly listSelector: string,
    private readonly optionKey: string,
    private readonly textFor: (value: string) => string = (value) => value,
  ) {
    document.addEventListener("click", (event) => {
      const target = event.target as Element;
      const option = target.closest<HTMLElement>(`[data-${this.attribute}]`);
      if (option && this.field) this.choose(option.dataset[this.optionKey]!);
      else if (!target.closest(this.listSelector)) this.close();
    });
  }

  private get attribute(): string {
    return this.optionKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  }

  private list = () => this.field?.element.closest(LIST_SCOPE)?.querySelector<HTMLElement>(this.listSelector) ?? null;
  private options = () => [...(this.list()?.querySelectorAll<HTMLElement>(`[data-${this.attribute}]`) ?? [])];

  /** Shows these options for the text typed in `field` at `range`; nothing to show closes the list. */
  show(field: Field, options: HTMLElement[], range: Range): void {
    if (this.field && this.field.element !== field.element) this.close();
    this.field = field;
    const menu = this.list();
    if (!menu || options.length === 0) {
      this.close();
      return;
    }
    this.range = range;
    menu.replaceChildren(...options);
    menu.hidden = false;
    this.highlight(0);
  }

  close(): void {
    const menu = this.list();
    if (menu) {
      menu.hidden = true;
      menu.replaceChildren();
    }
    this.range = null;
  }

  /** Called by the field's own key handler first: true when the list used the key. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.list()?.hidden !== false || !this.range || event.target !== this.field?.element) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") this.highlight(this.active + (event.key === "ArrowDown" ? 1 : -1));
    else if (event.key === "Enter" || event.key === "Tab") this.choose(this.options()[this.active]!.dataset[this.optionKey]!);
    else if (event.key === "Escape") this.close();
    else return false;
    event.preventDefault();
    return true;
  }

  private highlight(index: number): void {
    const all = this.options();
    this.active = (index + all.length) % all.length;
    for (const [i, option] of all.entries()) option.setAttribute("aria-selected", String(i === this.active));
  }

  private choose(value: string): void {
    const { field, range } = this;
    if (!field || !range) return;
    this.close();
    field.element.focus();
    field.replace(range.start, range.end, this.textFor(value));
  }
}
