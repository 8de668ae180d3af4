import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { customStylesProblem } from "../../src/accounts/custom-styles.ts";
import { Client } from "../helpers/client.ts";
import { startThreePersonServer, type ThreePeople } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";

let people: ThreePeople;
beforeEach(async () => {
  people = await startThreePersonServer();
});
afterEach(() => people.server.close());

function uploadLogo(client: Client, file: File): Promise<Response> {
  const form = new FormData();
  form.set("logo", file);
  return client.request("/account/logo", { method: "POST", body: form });
}

const headOf = async (client: Client, path = "/account") => {
  const html = await (await client.get(path)).text();
  return html.slice(0, html.indexOf("</head>"));
};

describe("the account logo", () => {
  test("an upload becomes 512 and 192 px PNGs, used as favicon and app icon at a versioned URL; removing it goes back", async () => {
    const { admin, member } = people;
    expect((await uploadLogo(admin, new File([pngOf(1024, 1024)], "logo.png", { type: "image/png" }))).status).toBe(303);
    const head = await headOf(member, "/rooms/1");
    const icon = /<link rel="icon" type="image\/png" href="([^"]+)"/.exec(head)![1]!.replaceAll("&amp;", "&");
    expect(icon).toMatch(/^\/account\/logo\?size=192&v=logo-[0-9a-f]{32}$/);
    expect(head).toContain('rel="apple-touch-icon" href="/account/logo?size=512&amp;v=logo-');
    // The logo is public (the sign-in page shows it) and kept long at its versioned address.
    const small = await new Client(people.server.url).get(icon);
    expect(small.headers.get("content-type")).toBe("image/png");
    expect(small.headers.get("cache-control")).toContain("immutable");
    expect(await new Bun.Image(await small.arrayBuffer()).metadata()).toMatchObject({ width: 192, height: 192, format: "png" });
    const large = await member.get(icon.replace("size=192", "size=512"));
    expect(await new Bun.Image(await large.arrayBuffer()).metadata()).toMatchObject({ width: 512, height: 512, format: "png" });

    expect((await admin.post("/account/logo/removal", {})).status).toBe(303);
    expect(await headOf(member, "/rooms/1")).toContain('rel="icon" type="image/svg+xml"');
    expect((await member.get(icon)).status).toBe(302);
    const actions = people.server.db.query("SELECT action FROM audit_log ORDER BY id").all();
    expect(actions).toEqual([{ action: "logo_changed" }, { action: "logo_removed" }]);
  });

  test("a file that is not a picture is refused with 422 and the reason; members see the logo but no upload form", async () => {
    const { admin, member } = people;
    const refused = await uploadLogo(admin, new File(["not a picture"], "logo.png", { type: "image/png" }));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("logo couldn&#39;t be read");
    const page = await (await member.get("/account")).text();
    expect(page).toContain('class="account__logo"');
    expect(page).not.toContain('action="/account/logo"');
  });
});

describe("custom CSS", () => {
  test("is served as a versioned stylesheet on every page, never inline, after a preview only the administrator sees", async () => {
    const { admin, member } = people;
    const css = ".sidebar { background: rebeccapurple; }";
    const preview = await admin.post("/account/custom_styles", { custom_styles: css, intent: "preview" });
    expect(preview.headers.get("location")).toBe("/account/custom_styles/preview");
    expect(await headOf(admin, "/account/custom_styles/preview")).toContain('href="/account/custom_styles/draft.css"');
    expect(await (await admin.get("/account/custom_styles/draft.css")).text()).toBe(css);
    // Not published yet: nobody's pages load it.
    expect(await headOf(member, "/rooms/1")).not.toContain("custom_styles");

    expect((await admin.post("/account/custom_styles", { custom_styles: css, intent: "save" })).status).toBe(303);
    const head = await headOf(member, "/rooms/1");
    const href = /<link rel="stylesheet" href="(\/account\/custom_styles\.css\?v=\w+)">/.exec(head)![1]!;
    expect(head).not.toContain("<style");
    const sheet = await new Client(people.server.url).get(href);
    expect(sheet.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(sheet.headers.get("content-security-policy")).toContain("style-src 'self'");
    expect(await sheet.text()).toBe(css);
    // A change is a new address, so browsers fetch it at once.
    await admin.post("/account/custom_styles", { custom_styles: ".sidebar { color: red; }", intent: "save" });
    expect(await headOf(member, "/rooms/1")).not.toContain(href);
  });

  test("refuses what can only be an escape or a load from elsewhere, with 422, keeping the published CSS", async () => {
    const { admin } = people;
    await admin.post("/account/custom_styles", { custom_styles: "body { color: blue; }", intent: "save" });
    for (const css of [
      "</style><script>alert(1)</script>",
      "@import url(https://evil.example/x.css);",
      '@import "//evil.example/x.css";',
      "body { background: url('https://tracker.example/p.gif') }",
      "body { width: expression(alert(1)) }",
    ]) {
      expect(customStylesProblem(css)).not.toBeNull();
      const response = await admin.post("/account/custom_styles", { custom_styles: css, intent: "save" });
      expect(response.status).toBe(422);
    }
    expect(customStylesProblem('@import "/assets/other.css"; .a { background: url(/x.png) }')).toBeNull();
    expect(await (await admin.get("/account/custom_styles.css")).text()).toBe("body { color: blue; }");
  });
});

describe("the join link's QR code", () => {
  test("is an SVG of rects and a path, with no style attributes (the CSP allows none)", async () => {
    const html = await (await people.admin.get("/account")).text();
    const svg = /<svg class="qr-code"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).toContain('aria-label="QR code of the join link"');
    expect(svg).toMatch(/<path d="(M\d+ \d+h\d+v1h-\d+z)+" fill="#000"\/>/);
    expect(svg).not.toContain("style");
    expect(await (await people.member.get("/account")).text()).not.toContain('class="qr-code"');
  });
});

test("the QR code's path draws exactly the dark modules of the code", async () => {
  const { qrCodeHtml } = await import("../../templates/shared/qr-code.ts");
  const qrcode = (await import("qrcode-generator")).default;
  const text = "https://chat.example.com/join/Xk3p-9aQm-T2wz";
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  const drawn = new Set<string>();
  for (const [, x, y, run] of qrCodeHtml(text, "QR").text.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
    for (let i = 0; i < Number(run); i++) drawn.add(`${Number(x) + i - 4},${Number(y) - 4}`);
  const dark = new Set<string>();
  for (let row = 0; row < code.getModuleCount(); row++)
    for (let col = 0; col < code.getModuleCount(); col++) if (code.isDark(row, col)) dark.add(`${col},${row}`);
  expect(drawn).toEqual(dark);
});

test("each page's head shows its own account's logo, even when it was read from the cache", async () => {
  const other = await startThreePersonServer();
  try {
    // Both accounts are read (and kept) before one of them gets a logo.
    expect(await headOf(other.admin, "/rooms/1")).toContain('rel="icon" type="image/svg+xml"');
    expect(await headOf(people.admin, "/rooms/1")).toContain('rel="icon" type="image/svg+xml"');
    await uploadLogo(people.admin, new File([pngOf(600, 600)], "logo.png", { type: "image/png" }));
    expect(await headOf(people.admin, "/rooms/1")).toContain('rel="icon" type="image/png"');
    expect(await headOf(other.admin, "/rooms/1")).toContain('rel="icon" type="image/svg+xml"');
    expect(await headOf(people.admin, "/rooms/1")).toContain('rel="icon" type="image/png"');
  } finally {
    await other.server.close();
  }
});
