import { join } from "node:path";

// The browser code, assets/client/*.ts, becomes one classic script (an IIFE, so nothing leaks
// into the page's globals next to htmx). The executable can't bundle at run time (the sources
// aren't inside it), so build.ts bundles first and hands the text over as CLIENT_BUNDLE;
// `bun src/main.ts` and the tests bundle on the fly, in memory, when the asset map loads.
const ENTRY = join(import.meta.dir, "../../assets/client/app.ts");

export async function bundleClient({ minify }: { minify: boolean }): Promise<string> {
  const result = await Bun.build({ entrypoints: [ENTRY], target: "browser", format: "iife", minify });
  if (!result.success) throw new AggregateError(result.logs, "the browser code in assets/client does not bundle");
  return result.outputs[0]!.text();
}
