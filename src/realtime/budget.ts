/**
 * What one socket may ask of the server. Every frame is handled on the one JS thread, so a single
 * socket sending 20,000 `enter` frames (each a catch-up query and a render) held `/up` for 12 s.
 * A browser tab sends a handful of frames a minute (enter, leave, typing, a ping every 50 s) and
 * catches up once per reconnect, so these limits are far above any real tab and far below a flood.
 */
export const FRAMES_PER_SECOND = 30;
/** A full catch-up reads at most 201 changes of each kind: this allows several reconnects a minute. */
export const CATCH_UP_ROWS_PER_MINUTE = 2_000;
/** Beyond this many open tabs one person is a runaway script; every tab costs every broadcast to them. */
export const MAX_SOCKETS_PER_PERSON = 100;

/** Counts a socket's frames per second and catch-up rows per minute in fixed windows. */
export class SocketBudget {
  private frames = 0;
  private framesSince = 0;
  private rows = 0;
  private rowsSince = 0;

  /** Counts one frame; false once more than FRAMES_PER_SECOND arrived within the current second. */
  takeFrame(at: number): boolean {
    if (at - this.framesSince >= 1_000) {
      this.framesSince = at;
      this.frames = 0;
    }
    return ++this.frames <= FRAMES_PER_SECOND;
  }

  /** Whether this minute's catch-up allowance has any rows left. */
  hasRows(at: number): boolean {
    if (at - this.rowsSince >= 60_000) {
      this.rowsSince = at;
      this.rows = 0;
    }
    return this.rows < CATCH_UP_ROWS_PER_MINUTE;
  }

  /** Counts the rows a catch-up read (one catch-up is bounded by its own cap, so it may overshoot once). */
  spendRows(count: number): void {
    this.rows += count;
  }
}
