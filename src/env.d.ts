// Files embedded with `import x from "…" with { type: "file" | "text" }` arrive as strings.
declare module "*.css" {
  const path: string;
  export default path;
}
declare module "*.js" {
  const path: string;
  export default path;
}
declare module "*.svg" {
  const path: string;
  export default path;
}
declare module "*.sql" {
  const text: string;
  export default text;
}
