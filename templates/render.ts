/** A synchronous JSX tree as the string that is sent, once, to every subscriber. */
export function renderToString(node: unknown): string {
  const html = (node as { toString(): unknown }).toString();
  if (html instanceof Promise) throw new Error("fragments must render synchronously");
  return String(html);
}
