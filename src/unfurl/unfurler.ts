import type { Database } from "bun:sqlite";
import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { now } from "../db/time.ts";
import type { Logger } from "../log.ts";
import { AttemptWindow } from "../sessions/throttle.ts";
import { type FetchLimits, FetchRefused, type GuardOptions, guardedFetch } from "./guarded-fetch.ts";
import { forgetUnusedLinkPreviews, imageKeysInUse, insertLinkPreview, type LinkPreview, recentLinkPreview } from "./link-previews.ts";
import { readPageFacts } from "./opengraph.ts";

// The original's limits: a page is HTML of at most 5 MB; short timeouts, since someone is waiting.
const PAGE: FetchLimits = { accept: ["text/html"], maxBytes: 5 * 1024 * 1024, timeoutMs: 5000 };
// SVG is not among them: it is a document, not a picture.
const IMAGE: FetchLimits = { accept: ["image/jpeg", "image/png", "image/gif", "image/webp"], maxBytes: 5 * 1024 * 1024, timeoutMs: 5000 };
// A card shows the image at most 600 px wide (300 CSS px on a 2× screen); 24 MP is a large photo,
// and anything claiming more is refused from its header before a pixel is decoded.
const IMAGE_BOX = { width: 600, height: 400 };
const MAX_IMAGE_PIXELS = 24_000_000;
// A link pasted again within the hour gets the card made the first time, fetched once.
const CACHE_TTL_MS = 60 * 60_000;
// A URL that gave nothing is not fetched again for a while, whoever pastes it.
const FAILURE_TTL_MS = 10 * 60_000;
const MAX_FAILURES_KEPT = 1000;
// Each preview is up to two fetches somewhere else on someone's behalf: 20 a minute each is plenty
// for pasting links and too few to use the server to scan or flood a site.
const PER_PERSON = { limit: 20, windowMs: 60_000 };
// Each fetch may hold a 5 MB page and a 5 MB picture in memory: past this many at once, a paste
// simply gets no card (it is not remembered as a failure).
export const MAX_FETCHES_AT_ONCE = 8;
// Links to files and media are not pages; fetching them would only waste the 5 MB allowance.
const NOT_A_PAGE =
  /\.(zip|tar|gz|tgz|bz2|xz|rar|7z|dmg|exe|msi|pkg|deb|rpm|iso|jpe?g|png|gif|bmp|webp|svg|heic|heif|mp[34]|m4a|mov|avi|mkv|wmv|flv|wav|ogg|oga|ogv|aac|wma|webm|mpe?g|pdf)$/i;

export const IMAGE_KEY = /^[0-9a-f]{32}\.webp$/;

// A card nobody sent (or whose message was deleted) is kept a day (a composer may still hold its
// token) and then forgotten with its picture; swept hourly, a bounded batch at a time.
export const UNUSED_KEPT_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;
const SWEEP_BATCH = 1000;

/**
 * Makes link previews: fetches the page through the private-network guard, reads its title,
 * description and image, and keeps a re-encoded copy of the image in the data directory, so that
 * readers' browsers never contact the site (DESIGN.md principle 6).
 */
export class Unfurler {
  readonly imageDir: string;
  private readonly perPerson = new AttemptWindow(PER_PERSON.limit, PER_PERSON.windowMs);
  private readonly failures = new Map<string, number>();
  private fetching = 0;
  private sweeping: Timer | null = null;

  constructor(
    private readonly db: Database,
    dataDir: string,
    private readonly log: Logger,
    private readonly guard: GuardOptions = {},
  ) {
    // Made by the first image written (Bun.write creates it), so a start that fails leaves nothing behind.
    this.imageDir = join(dataDir, "unfurls");
  }

  /** Seconds until this person may ask for another preview; 0 (and counted) when they may now. */
  attempt(userId: number): number {
    const at = now();
    const waitMs = this.perPerson.waitMs(String(userId), at);
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    this.perPerson.record(String(userId), at);
    return 0;
  }

  /** The card for a URL, or null when the page can't be fetched safely or says nothing usable. */
  async preview(url: URL): Promise<LinkPreview | null> {
    const key = url.href;
    const kept = recentLinkPreview(this.db, key, now() - CACHE_TTL_MS);
    if (kept) return kept;
    if ((this.failures.get(key) ?? 0) > now() || NOT_A_PAGE.test(url.pathname)) return null;
    if (this.fetching >= MAX_FETCHES_AT_ONCE) return null;
    this.fetching++;
    try {
      const page = await guardedFetch(url, PAGE, this.guard);
      const facts = readPageFacts(new TextDecoder().decode(page.body), page.url);
      if (!facts) throw new FetchRefused("no title");
      const image = facts.image && (await this.copyImage(facts.image));
      // The card links to what was pasted, not to the page's own og:url, which could point anywhere.
      return insertLinkPreview(this.db, {
        url: key,
        title: facts.title,
        description: facts.description,
        imageKey: image?.key ?? null,
        imageWidth: image?.width ?? null,
        imageHeight: image?.height ?? null,
      });
    } catch (error) {
      this.log("info", "no link preview", { url: key, reason: error instanceof Error ? error.message : String(error) });
      if (this.failures.size >= MAX_FAILURES_KEPT) this.failures.clear();
      this.failures.set(key, now() + FAILURE_TTL_MS);
      return null;
    } finally {
      this.fetching--;
    }
  }

  /** Sweeps unused cards every hour from now on; the server starts this and stops it when it stops. */
  startSweeping() {
    this.sweeping ??= setInterval(() => {
      this.sweep().catch((error) => this.log("error", "the link preview sweep failed", { error }));
    }, SWEEP_EVERY_MS);
  }

  stopSweeping() {
    if (this.sweeping) clearInterval(this.sweeping);
    this.sweeping = null;
  }

  /**
   * Forgets the cards no message carries, older than a day, and their pictures; then any picture
   * older than a day that no card names (one written just before a crash, or before its card was
   * stored). Returns how many cards and files went.
   */
  async sweep(at = now()): Promise<{ cards: number; images: number }> {
    const before = at - UNUSED_KEPT_MS;
    let cards = 0;
    const images: string[] = [];
    for (
      let batch = forgetUnusedLinkPreviews(this.db, before, SWEEP_BATCH);
      ;
      batch = forgetUnusedLinkPreviews(this.db, before, SWEEP_BATCH)
    ) {
      cards += batch.length;
      images.push(...batch);
      if (batch.length < SWEEP_BATCH) break;
    }
    const old = await this.oldImages(before);
    const inUse = imageKeysInUse(this.db, old);
    images.push(...old.filter((key) => !inUse.has(key)));
    await Promise.all(images.map((key) => unlink(join(this.imageDir, key)).catch(() => undefined)));
    return { cards, images: images.length };
  }

  /** The pictures in our folder written before `before`. */
  private async oldImages(before: number): Promise<string[]> {
    const names = await readdir(this.imageDir).catch(() => [] as string[]);
    const old = await Promise.all(
      names
        .filter((name) => IMAGE_KEY.test(name))
        .map(async (name) => (((await stat(join(this.imageDir, name)).catch(() => null))?.mtimeMs ?? before) < before ? name : null)),
    );
    return old.filter((name) => name !== null);
  }

  /** Fetched the same guarded way, decoded and re-encoded small: the remote bytes are never kept or served. */
  private async copyImage(url: URL): Promise<{ key: string; width: number; height: number } | null> {
    try {
      const { body } = await guardedFetch(url, IMAGE, this.guard);
      const webp = await new Bun.Image(body, { maxPixels: MAX_IMAGE_PIXELS })
        .resize(IMAGE_BOX.width, IMAGE_BOX.height, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 80 })
        .bytes();
      const { width, height } = await new Bun.Image(webp).metadata();
      const key = `${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex")}.webp`;
      await Bun.write(join(this.imageDir, key), webp);
      return { key, width, height };
    } catch (error) {
      // A card without its picture is still a card.
      this.log("info", "no link preview image", { url: url.href, reason: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }
}
