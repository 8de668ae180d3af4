import type { Server } from "bun";
import { userTopic } from "./topics.ts";

/**
 * Every broadcast goes through here: a fragment is rendered once and the same bytes are handed to
 * Bun's native pub/sub. Keeping it behind one object leaves room for a cross-process fan-out later.
 */
export class Publisher {
  private server: Server<unknown> | null = null;
  /** Listeners replaced by a renewed certificate (server.ts reloadTls), still holding sockets. */
  private retiring: Server<unknown>[] = [];
  private pending = new Map<string, ReturnType<typeof setTimeout>>();

  /** `onError` hears about a deferred render that failed; nothing else here runs outside a request. */
  constructor(private readonly onError: (error: unknown) => void = (error) => console.error(error)) {}

  attach(server: Server<unknown>): void {
    if (this.server) this.retiring.push(this.server);
    this.server = server;
  }

  publish(topic: string, html: string): void {
    this.server?.publish(topic, html);
    if (this.retiring.length > 0) this.publishToRetiring(topic, html);
  }

  private publishToRetiring(topic: string, html: string): void {
    this.retiring = this.retiring.filter((server) => server.pendingWebSockets > 0);
    for (const server of this.retiring) server.publish(topic, html);
  }

  /** For the rare per-person events (a room appearing in a sidebar); messages never go this way. */
  publishToUsers(userIds: Iterable<number>, html: string): void {
    for (const userId of userIds) this.publish(userTopic(userId), html);
  }

  /**
   * For state where only the latest counts (who is in a room): renders and publishes at most once
   * per `delayMs` per key. A thousand tabs reconnecting after a restart then cost a few renders,
   * not a thousand renders each sent to a thousand sockets.
   */
  publishLatest(key: string, topic: string, render: () => string, delayMs: number): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      try {
        this.publish(topic, render());
      } catch (error) {
        this.onError(error);
      }
    }, delayMs);
    this.pending.set(key, timer);
  }

  /** The server is stopping: nothing more is rendered from a database about to close. */
  cancelPending(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  subscriberCount(topic: string): number {
    let count = this.server?.subscriberCount(topic) ?? 0;
    for (const server of this.retiring) count += server.subscriberCount(topic);
    return count;
  }
}
