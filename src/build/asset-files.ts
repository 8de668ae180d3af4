import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { prepareAssets } from "../http/asset-sources.ts";

/** The module the executable is built with in place of src/http/asset-table.ts. */
export const ASSET_TABLE_MODULE = join(import.meta.dir, "../http/asset-table.ts");

/**
 * Prepares the assets once for the executable: each one, plain and gzipped, written to `dir` and
 * embedded as a file, and the text of a table module that names them. Nothing is read or gzipped
 * when the executable starts (that took ~20 ms), and the assets' ~0.5 MB of text and bytes stay in
 * the executable's file until a browser asks for them, so they are not in its idle memory.
 */
export async function assetTableModule(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const imports: string[] = [];
  const entries: string[] = [];
  for (const [i, asset] of (await prepareAssets({ minify: true })).entries()) {
    const plain = join(dir, asset.hashedName);
    await Bun.write(plain, asset.body);
    await Bun.write(`${plain}.gz`, asset.gzipped);
    imports.push(`import body${i} from ${JSON.stringify(plain)} with { type: "file" };`);
    imports.push(`import gzipped${i} from ${JSON.stringify(`${plain}.gz`)} with { type: "file" };`);
    entries.push(
      `{ name: ${JSON.stringify(asset.name)}, hashedName: ${JSON.stringify(asset.hashedName)}, body: Bun.file(body${i}), gzipped: Bun.file(gzipped${i}) }`,
    );
  }
  return `${imports.join("\n")}\nexport const ASSET_TABLE = [\n  ${entries.join(",\n  ")},\n];\n`;
}
