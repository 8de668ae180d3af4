import { join } from "node:path";

// The browser code, assets/client/*.ts, becomes one classic script (an IIFE, so nothing leaks
// into the page's globals next to htmx). The executable can't bundle at run time (the sources
// aren't inside it), so build.ts bundles first and embeds the result (src/build/asset-files.ts);
// `bun src/main.ts` and the tests bundle on the fly, in memory, when the asset table loads.
// The service worker (assets/worker) is bundled on its own, as it runs in another global scope;
// build.ts hands its text over as SERVICE_WORKER_BUNDLE.
const ENTRIES = {
  client: join(import.meta.dir, "../../assets/client/app.ts"),
  worker: join(import.meta.dir, "../../assets/worker/service-worker.ts"),
};

export async function bundleClient({ minify, entry = "client" }: { minify: boolean; entry?: keyof typeof ENTRIES }): Promise<string> {
  const result = await Bun.build({ entrypoints: [ENTRIES[entry]], target: "browser", format: "iife", minify });
  if (!result.success) throw new AggregateError(result.logs, `the browser code for the ${entry} does not bundle`);
  return result.outputs[0]!.text();
}
