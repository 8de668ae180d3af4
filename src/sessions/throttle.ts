import { now } from "../db/time.ts";

/**
 * Counts failed sign-ins per client address in a sliding window. Kept in memory on purpose:
 * it guards against guessing, and a restart forgetting it is harmless.
 */
export class SignInThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 3 * 60_000,
  ) {}

  isBlocked(ip: string, at = now()): boolean {
    return this.recent(ip, at).length >= this.limit;
  }

  recordFailure(ip: string, at = now()): void {
    const times = this.recent(ip, at);
    times.push(at);
    this.failures.set(ip, times);
    if (this.failures.size > 10_000) this.sweep(at);
  }

  /** Seconds until the oldest counted failure leaves the window. */
  retryAfterSeconds(ip: string, at = now()): number {
    const oldest = this.recent(ip, at)[0] ?? at;
    return Math.max(1, Math.ceil((oldest + this.windowMs - at) / 1000));
  }

  private recent(ip: string, at: number): number[] {
    return (this.failures.get(ip) ?? []).filter((t) => at - t < this.windowMs);
  }

  private sweep(at: number): void {
    for (const [ip] of this.failures) if (this.recent(ip, at).length === 0) this.failures.delete(ip);
  }
}
