import { type AssetName, prepareAssets } from "./asset-sources.ts";

// The assets as the server finds them: prepared here when it runs from source. In the executable
// this module is replaced by one that build.ts writes (src/build/asset-files.ts), whose assets are
// files embedded in the executable, read from it only when a browser asks.

/** Each asset's content-hashed name and its bytes, plain and gzipped. */
export type AssetEntry = { name: AssetName; hashedName: string; body: Blob; gzipped: Blob };

export const ASSET_TABLE: AssetEntry[] = (await prepareAssets({ minify: process.env.NODE_ENV === "production" })).map((asset) => ({
  ...asset,
  body: new Blob([asset.body]),
  gzipped: new Blob([asset.gzipped]),
}));
