import type { Server } from "bun";
import { userTopic } from "./topics.ts";

/**
 * Every broadcast goes through here: a fragment is rendered once and the same bytes are handed to
 * Bun's native pub/sub. Keeping it behind one object leaves room for a cross-process fan-out later.
 */
export class Publisher {
  private server: Server<unknown> | null = null;

  attach(server: Server<unknown>): void {
    this.server = server;
  }

  publish(topic: string, html: string): void {
    this.server?.publish(topic, html);
  }

  /** For the rare per-person events (a room appearing in a sidebar); messages never go this way. */
  publishToUsers(userIds: Iterable<number>, html: string): void {
    for (const userId of userIds) this.publish(userTopic(userId), html);
  }

  subscriberCount(topic: string): number {
    return this.server?.subscriberCount(topic) ?? 0;
  }
}
