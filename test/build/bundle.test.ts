import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ASSET_TABLE_MODULE, assetTableModule } from "../../src/build/asset-files.ts";
import { EXECUTABLE_BUNDLE, LEFT_OUT, LOADED_ON_DEMAND } from "../../src/build-bundle.ts";
import { ASSET_NAMES } from "../../src/http/asset-sources.ts";
import { makeDataDir } from "../helpers/server.ts";

const outdir = makeDataDir();
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test("the executable starts without acme-client and web-push (bundled into files of their own, read on demand), the assets' text, or postcss", async () => {
  // Bundled as build.ts bundles the executable, but to a folder, so the files can be inspected.
  const files = { [ASSET_TABLE_MODULE]: await assetTableModule(join(outdir, "assets")) };
  const result = await Bun.build({ ...EXECUTABLE_BUNDLE, outdir: join(outdir, "bundle"), metafile: true, files });
  expect(result.success).toBe(true);
  const packagesIn = (output: string) =>
    new Set(Object.keys(result.metafile!.outputs[output]!.inputs).map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]));
  const outputs = Object.keys(result.metafile!.outputs);
  const entry = outputs.find((output) => result.metafile!.outputs[output]!.entryPoint === "src/main.ts")!;
  expect(entry).toEndWith("main.js");
  const atStart = packagesIn(entry);
  const onDemand = new Set(outputs.filter((output) => output !== entry).flatMap((output) => [...packagesIn(output)]));
  for (const name of LOADED_ON_DEMAND) {
    expect(atStart.has(name), `${name} is loaded at start`).toBe(false);
    expect(onDemand.has(name), `${name} is still in the executable`).toBe(true);
  }
  // sanitize-html's postcss is not in the executable at all.
  for (const name of LEFT_OUT) expect(atStart.has(name) || onDemand.has(name), `${name} is in the executable`).toBe(false);
  // The browser's assets are files beside the code, prepared by build.ts: none of their text is code.
  for (const name of ["htmx.org", "htmx-ext-ws", "trix", "emojibase-data"])
    expect(atStart.has(name) || onDemand.has(name), `${name} is in the code`).toBe(false);
  expect(result.outputs.filter((output) => output.kind === "asset").length).toBe(ASSET_NAMES.length * 2); // plain and gzipped
  // The start bundle still holds what every request needs.
  expect(atStart.has("hono")).toBe(true);
  expect(atStart.has("sanitize-html")).toBe(true);
});
