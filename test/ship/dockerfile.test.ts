// Docker can't run on this machine, so the Dockerfile is checked like a linter would, and its
// build stage is replayed outside Docker: the files it copies must be enough to build.
import { afterAll, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { run } from "../helpers/processes.ts";
import { makeDataDir } from "../helpers/server.ts";

const ROOT = join(import.meta.dir, "../..");
const dockerfile = await Bun.file(join(ROOT, "Dockerfile")).text();
const instructions = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .filter((line) => line.trim() && !line.trimStart().startsWith("#"))
  .map((line) => {
    const [keyword, ...rest] = line.trim().split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(" ") };
  });
const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const work = makeDataDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("the image runs the executable as a non-root user, keeps data in a volume and checks its health on /up", () => {
  const stages = all("FROM");
  expect(stages).toHaveLength(2);
  for (const image of stages) expect(image).toMatch(/^[\w./-]+:[\w.-]+( AS \w+)?$/); // every base image has a tag
  expect(stages[1]).toMatch(/-slim$/);
  const finalStage = instructions.slice(instructions.findLastIndex((i) => i.keyword === "FROM"));
  const users = finalStage.filter((i) => i.keyword === "USER").map((i) => i.args);
  expect(users).toEqual(["campfire"]);
  expect(finalStage.find((i) => i.keyword === "RUN")!.args).toContain("useradd --system");
  expect(all("VOLUME")).toEqual(["/data"]);
  expect(all("ENV").join(" ")).toContain("CAMPFIRE_DATA_DIR=/data");
  expect(all("EXPOSE")).toEqual(["3000"]);
  expect(all("HEALTHCHECK")[0]).toEndWith('CMD ["campfire", "healthcheck"]');
  expect(all("ENTRYPOINT")).toEqual(['["campfire"]']);
  expect(all("STOPSIGNAL")).toEqual(["SIGTERM"]);
});

test("what the build stage copies is enough to build the executable", async () => {
  const copied = all("COPY")
    .filter((args) => !args.startsWith("--from"))
    .flatMap((args) => args.split(/\s+/).slice(0, -1));
  const context = join(work, "context");
  mkdirSync(context);
  for (const path of copied) {
    expect(existsSync(join(ROOT, path))).toBe(true);
    cpSync(join(ROOT, path), join(context, path), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(context, "node_modules")); // what `npm install` makes
  const build = all("RUN").find((args) => args.includes("build.ts"))!;
  const built = await run(["sh", "-c", build.replace("/out/campfire", join(work, "out", "campfire"))], {
    cwd: context,
    env: { PATH: process.env.PATH! },
  });
  expect(built.stderr).toBe("");
  expect(built.exitCode).toBe(0);
  const version = await run([join(work, "out", "campfire"), "version"]);
  expect(version.stdout).toContain("(commit unknown, "); // .dockerignore leaves .git out
}, 120_000);

test(".dockerignore keeps dependencies, builds and data out of the build context", async () => {
  const ignored = (await Bun.file(join(ROOT, ".dockerignore")).text()).split("\n");
  for (const path of ["node_modules", "dist", "storage", ".git"]) expect(ignored).toContain(path);
});
