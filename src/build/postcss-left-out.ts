// Stands in for postcss inside the executable (src/build-bundle.ts). sanitize-html loads postcss to
// parse style attributes; ours allows none and turns that parsing off (messages/sanitize.ts), so
// this is never called.
export function parse(): never {
  throw new Error("postcss is left out of the executable: no style attribute is ever parsed");
}
