import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with the background chatter that this network refuses turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
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
    ],
  });
}

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
