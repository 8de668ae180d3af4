import { flatText } from "./html.ts";

/** A synchronous JSX tree as the string that is sent, once, to every subscriber. */
export function renderToString(node: unknown): string {
  const html = (node as { toString(): unknown }).toString();
  if (html instanceof Promise) throw new Error("fragments must render synchronously");
  return String(html);
}

/**
 * For fragments that depend on nothing but a few values (a room's composer, a notification menu):
 * each variant is rendered once and kept, up to a bound.
 */
export function rememberedHtml(limit = 1000): (key: string, render: () => string) => string {
  const kept = new Map<string, string>();
  return (key, render) => {
    let html = kept.get(key);
    if (html === undefined) {
      if (kept.size >= limit) kept.clear();
      kept.set(key, (html = flatText(render())));
    }
    return html;
  };
}
