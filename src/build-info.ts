import { join } from "node:path";
import packageJson from "../package.json" with { type: "json" };

// build.ts stamps the executable with the commit and target it was built from; `bun src/main.ts`
// (development, tests) has no stamp.
declare const CAMPFIRE_BUILD: { commit: string; target: string; builtAt: string } | undefined;
export const BUILD = typeof CAMPFIRE_BUILD === "undefined" ? undefined : CAMPFIRE_BUILD;

/** What `campfire version` prints: the version, and for a built executable its commit and target. */
export function versionLine(): string {
  if (!BUILD) return `${packageJson.version} (not a release build: run from source)`;
  return `${packageJson.version} (commit ${BUILD.commit}, ${BUILD.target}, built ${BUILD.builtAt})`;
}

/** The command line that runs this same program with other arguments (a backup in its own process). */
export function selfCommand(args: string[]): string[] {
  return BUILD ? [process.execPath, ...args] : [process.execPath, join(import.meta.dir, "main.ts"), ...args];
}
