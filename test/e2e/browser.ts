import { expect } from "bun:test";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { signIn } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with the background chatter that this network refuses turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: BROWSER_ARGS });
}

export const BROWSER_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  // CI containers often give /dev/shm only 64 MB; a renderer that runs out there dies silently mid-navigation.
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Collects what went wrong in a page (console errors, script errors, failed requests, a crashed renderer)
 * so a failing step reports why instead of only timing out.
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script: ${error.message}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // A navigation away aborts the page's open socket and pending fetches; that is expected.
    if (failure !== "net::ERR_ABORTED") problems.push(`request ${request.method()} ${request.url()}: ${failure}`);
  });
  page.on("crash", () => problems.push("renderer crashed"));
  return problems;
}

/** A confirmed message in the All Talk room showing this text. */
export const messageIn = (page: Page, text: string) => page.locator("#room_1_messages .message[data-message-id]").filter({ hasText: text });

/** Selects `word` in the Trix editor inside `scope`, as a double-click on it would. */
export async function selectWord(page: Page, scope: string, word: string) {
  await page.evaluate(
    ([selector, text]) => {
      const element = document.querySelector(`${selector} trix-editor`) as HTMLElement & {
        editor: { getDocument(): { toString(): string }; setSelectedRange(range: [number, number]): void };
      };
      const start = element.editor.getDocument().toString().indexOf(text!);
      element.editor.setSelectedRange([start, start + text!.length]);
    },
    [scope, word],
  );
}

/** Runs a step; when it throws, the error names the page's URL and whatever the page reported. */
export async function step<T>(page: Page, problems: string[], name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const detail = problems.length ? problems.join("\n  ") : "nothing reported";
    throw new Error(`${name} failed at ${page.url()}: ${(error as Error).message}\n  page problems: ${detail}`);
  }
}

/**
 * Starts recording the Content-Security-Policy violations the page reports (every blocked inline
 * script, handler or style fires `securitypolicyviolation`); call before the first navigation.
 * The answer reads what the current document recorded.
 */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/**
 * A browser context signed in as someone (the cookie comes from a real sign-in over HTTP), with a
 * page open at `path`, watched for problems and for what the CSP blocked.
 */
export async function signedInPage(
  browser: Browser,
  server: TestServer,
  person: { email: string; password: string },
  {
    path = "/rooms/1",
    contextOptions = {},
    permissions = [],
  }: { path?: string; contextOptions?: BrowserContextOptions; permissions?: string[] } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[]; cspViolations: () => Promise<string[]> }> {
  const { client } = await signIn(server, person.email, person.password);
  // The service worker is the push tests' subject; elsewhere it would hide the page's requests from
  // page.route (Playwright can't intercept what a worker fetches), so other tests run without it.
  const context = await browser.newContext({ serviceWorkers: "block", ...contextOptions });
  if (permissions.length > 0) await context.grantPermissions(permissions, { origin: server.url });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  const problems = watchPage(page);
  const cspViolations = await watchCsp(page);
  await page.goto(`${server.url}${path}`);
  return { context, page, problems, cspViolations };
}

type SignedIn = Awaited<ReturnType<typeof signedInPage>>;

/** A test's last word on its people: nothing the CSP blocked, nothing their pages reported; then their contexts close. */
export async function expectCleanAndClose(...people: SignedIn[]): Promise<void> {
  for (const person of people) {
    expect(await person.cspViolations()).toEqual([]);
    expect(person.problems).toEqual([]);
  }
  for (const person of people) await person.context.close();
}
