/**
 * What every page's <head> shows of the account: its logo (favicon, app icons) and its custom
 * stylesheet, each by a versioned URL so browsers keep them until they change. Noted by each
 * findAccount (every page reads the account before rendering its layout), so the layout reads it
 * without a query or an argument.
 */
type Branding = { logoKey: string | null; stylesVersion: string | null };
let branding: Branding = { logoKey: null, stylesVersion: null };

export function noteBranding(account: Branding): void {
  if (account.logoKey !== branding.logoKey || account.stylesVersion !== branding.stylesVersion)
    branding = { logoKey: account.logoKey, stylesVersion: account.stylesVersion };
}

export const stylesVersion = (css: string): string => Bun.hash(css).toString(36);

export type IconSize = 512 | 192;

/** The account's icon at this size (the logo, else Campfire's own): for the favicon, the PWA manifest and push notifications. */
export const accountIconUrl = (size: IconSize): string => `/account/logo?size=${size}${branding.logoKey ? `&v=${branding.logoKey}` : ""}`;

/** The custom stylesheet's URL, or null when there is none. */
export const customStylesUrl = (): string | null =>
  branding.stylesVersion ? `/account/custom_styles.css?v=${branding.stylesVersion}` : null;

/** Changes whenever the head must: the layout builds its head once per value. */
export const brandingKey = (): string => `${branding.logoKey}|${branding.stylesVersion}`;
