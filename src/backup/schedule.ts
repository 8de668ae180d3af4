// Scheduled backups (CAMPFIRE_BACKUP_DIR): for people who will never remember to run one. Each
// runs as `campfire backup` in its own process, because VACUUM INTO is synchronous and would
// stall this server's event loop for the length of the copy (about a second per 100 MB).
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { selfCommand } from "../build-info.ts";
import type { Logger } from "../log.ts";

const NAME = /^campfire-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar$/;
// The first backup after a start without any waits a minute, so a start stays fast.
const FIRST_DELAY_MS = 60_000;

export type BackupScheduleConfig = { dir: string; everyMs: number; keep: number };

export const backupName = (at: Date): string => `campfire-${at.toISOString().slice(0, 19).replaceAll(":", "-")}Z.tar`;

function backupsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => NAME.test(name))
    .sort(); // the names sort by time
}

export class BackupSchedule {
  private timer?: Timer;
  private running?: Subprocess;
  private stopped = false;

  constructor(
    private readonly dataDir: string,
    private readonly schedule: BackupScheduleConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    mkdirSync(this.schedule.dir, { recursive: true });
    // What a backup killed with its server left behind.
    for (const name of readdirSync(this.schedule.dir))
      if (name.includes(".tar.partial")) rmSync(join(this.schedule.dir, name), { force: true });
    const newest = backupsIn(this.schedule.dir).at(-1);
    const due = newest
      ? statSync(join(this.schedule.dir, newest)).mtimeMs + this.schedule.everyMs - Date.now()
      : Math.min(FIRST_DELAY_MS, this.schedule.everyMs);
    this.plan(Math.max(0, due));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.running?.kill();
  }

  private plan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce(), delayMs);
  }

  private async runOnce(): Promise<void> {
    const file = join(this.schedule.dir, backupName(new Date()));
    const started = performance.now();
    this.running = Bun.spawn(selfCommand(["backup", file]), {
      env: { ...process.env, CAMPFIRE_DATA_DIR: this.dataDir },
      stdout: "ignore",
      stderr: "pipe",
    });
    const [exitCode, stderr] = await Promise.all([this.running.exited, new Response(this.running.stderr as ReadableStream).text()]);
    this.running = undefined;
    if (this.stopped) return;
    if (exitCode === 0) {
      this.log("info", "backup written", { file, ms: Math.round(performance.now() - started) });
      for (const old of backupsIn(this.schedule.dir).slice(0, -this.schedule.keep)) rmSync(join(this.schedule.dir, old), { force: true });
    } else {
      this.log("error", "scheduled backup failed", { file, exitCode, error: stderr.trim() });
    }
    this.plan(this.schedule.everyMs);
  }
}
