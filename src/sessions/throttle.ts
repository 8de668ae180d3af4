import { now } from "../db/time.ts";

/** Attempts per key in a sliding window. */
export class AttemptWindow {
  private attempts = new Map<string, number[]>();
  private sweptAt = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string, at: number): number {
    const times = this.recent(key, at);
    return times.length < this.limit ? 0 : times[times.length - this.limit]! + this.windowMs - at;
  }

  record(key: string, at: number): void {
    const times = this.recent(key, at);
    times.push(at);
    this.attempts.set(key, times);
    // At most once a second: a spray of distinct addresses must not make every attempt walk them all.
    if (this.attempts.size > 10_000 && at - this.sweptAt > 1000) this.sweep(at);
  }

  /** Takes back the newest attempt. */
  forgetOne(key: string): void {
    this.attempts.get(key)?.pop();
  }

  private recent(key: string, at: number): number[] {
    return (this.attempts.get(key) ?? []).filter((t) => at - t < this.windowMs);
  }

  private sweep(at: number): void {
    this.sweptAt = at;
    for (const [key] of this.attempts) if (this.recent(key, at).length === 0) this.attempts.delete(key);
  }
}

/**
 * Limits password guessing per client address and per email address. Kept in memory on purpose:
 * it guards against guessing, and a restart forgetting it is harmless.
 *
 * An attempt is counted when it starts, before the password hash is checked: counting failures after
 * the ~70 ms check let a burst of 100 concurrent guesses all be checked before the first one counted.
 * The per-account count is kept for any email address typed, existing or not, so a lock says nothing
 * about whether the account exists; it is temporary, so it slows guessing without locking anyone out
 * for long.
 */
export class SignInThrottle {
  private readonly byAddress: AttemptWindow;
  private readonly byAccount: AttemptWindow;

  constructor(address = { limit: 10, windowMs: 3 * 60_000 }, account = { limit: 20, windowMs: 15 * 60_000 }) {
    this.byAddress = new AttemptWindow(address.limit, address.windowMs);
    this.byAccount = new AttemptWindow(account.limit, account.windowMs);
  }

  /**
   * Counts an attempt at once; 0 means go ahead and check the password, anything else is the
   * seconds to wait (and the attempt was not counted).
   */
  attempt(ip: string, emailAddress: string, at = now()): number {
    const waitMs = Math.max(this.byAddress.waitMs(ip, at), this.byAccount.waitMs(emailAddress, at));
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    this.byAddress.record(ip, at);
    this.byAccount.record(emailAddress, at);
    return 0;
  }

  /** A right password does not count against the address or the account. */
  succeeded(ip: string, emailAddress: string): void {
    this.byAddress.forgetOne(ip);
    this.byAccount.forgetOne(emailAddress);
  }
}
