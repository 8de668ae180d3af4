/** A tiny browser stand-in: keeps cookies, never follows redirects, and sends a same-origin Origin on unsafe requests. */
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(
    path: string,
    options: {
      method?: string;
      form?: Record<string, string>;
      body?: FormData;
      headers?: Record<string, string>;
      origin?: string | null;
    } = {},
  ): Promise<Response> {
    const method = options.method ?? (options.form ? "POST" : "GET");
    const headers = new Headers(options.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const origin = options.origin === undefined ? this.base : options.origin;
    if (!["GET", "HEAD"].includes(method) && origin !== null && !headers.has("origin")) headers.set("origin", origin);
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: options.form ? new URLSearchParams(options.form) : options.body,
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) this.store(cookie);
    return response;
  }

  get = (path: string, headers?: Record<string, string>) => this.request(path, { headers });
  post = (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
    this.request(path, { method: "POST", form, headers });

  private store(setCookie: string): void {
    const [pair = ""] = setCookie.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = /max-age=0\b/i.test(setCookie) || /expires=Thu, 01 Jan 1970/i.test(setCookie) || value === "";
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}
