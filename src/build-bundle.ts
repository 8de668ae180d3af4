import { join } from "node:path";

// How build.ts bundles the server for the executable, shared with the test that checks which
// packages the executable loads at start.
export const EXECUTABLE_BUNDLE = {
  // The checkpoint thread's code is an entry of its own: a Worker starts from a file in the executable.
  // Entries are named flat, so the worker sits beside the code that starts it (its URL is relative).
  entrypoints: ["src/main.ts", "src/db/checkpoint-worker.ts"],
  naming: { entry: "[name].[ext]" },
  target: "bun",
  format: "esm", // build.ts asks for bytecode, which needs ESM for the CLI's top-level await
  minify: true,
  // Each dynamic import() becomes its own file inside the executable, read only when the import
  // runs: acme-client (TLS_DOMAIN only) and web-push (first notification) stay out of idle memory.
  // In the one bundle they cost ~3 MB of idle RSS (bench/idle-rss.ts, RssAnon + RssFile).
  splitting: true,
  // sanitize-html loads postcss (~90 KB with its own dependencies) only for style attributes,
  // which we never allow or parse: left out, idle RSS is 0.6 MB lower and start-up ~7 % shorter.
  plugins: [
    {
      name: "leave-out-postcss",
      setup(build) {
        build.onResolve({ filter: /^postcss$/ }, () => ({ path: join(import.meta.dir, "build/postcss-left-out.ts") }));
      },
    },
  ],
} satisfies Bun.BuildConfig;

/** Packages not in the executable at all (a stand-in takes their place). */
export const LEFT_OUT = ["postcss", "source-map-js"];

/** Packages loaded only when needed: none of them may be in the bundle the executable starts. */
export const LOADED_ON_DEMAND = ["acme-client", "web-push"];
