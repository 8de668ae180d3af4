// Automatic HTTPS (TLS_DOMAIN): a certificate from an ACME CA (Let's Encrypt unless told
// otherwise) before the server starts, renewed in the background and swapped in without closing
// a connection (server.ts reloadTls).
import type { Server } from "bun";
import type { AutoTlsConfig, Config } from "../config.ts";
import { now } from "../db/time.ts";
import type { Logger } from "../log.ts";
import { type RunningServer, startServer, type TestHooks } from "../server.ts";
import { type CertificateFiles, certificateFiles, needsCertificate, readCertificate } from "./certificate-files.ts";
import { startHttpListener } from "./http-listener.ts";

// Twice a day, as Let's Encrypt asks of its clients.
const RENEWAL_CHECK_MS = 12 * 3_600_000;
// A failed first certificate is retried from 1 minute up to every hour: never a tight loop
// against the CA's rate limits, never a server that silently gives up.
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 3_600_000;

export class AutoTls {
  readonly files: CertificateFiles;
  private readonly challenges = new Map<string, string>();
  private listener?: Server<undefined>;
  private timer?: Timer;
  private stopped = false;

  constructor(
    private readonly config: AutoTlsConfig,
    dataDir: string,
    private readonly httpsPort: number,
    private readonly host: string,
    private readonly log: Logger,
    private readonly trustedCa?: string,
  ) {
    this.files = certificateFiles(dataDir, config.domain);
  }

  /** Opens the port-80 listener and waits until a usable certificate is on disk. */
  async ready(firstRetryMs = FIRST_RETRY_MS): Promise<void> {
    this.listener = startHttpListener({
      port: this.config.httpPort,
      host: this.host,
      domain: this.config.domain,
      httpsPort: this.httpsPort,
      challenges: this.challenges,
    });
    let wait = firstRetryMs;
    while (!this.stopped && needsCertificate(readCertificate(this.files), this.config.domain, now())) {
      if (await this.renew()) break;
      this.log("warn", "retrying the certificate", { inSeconds: Math.round(wait / 1000) });
      await Bun.sleep(wait);
      wait = Math.min(wait * 2, LONGEST_RETRY_MS);
    }
  }

  /** Checks twice a day; `onRenewed` swaps the new certificate in. */
  keepRenewed(onRenewed: () => void): void {
    this.timer = setInterval(() => void this.renewIfDue().then((renewed) => renewed && onRenewed()), RENEWAL_CHECK_MS);
  }

  /** True when a new certificate was written. A failure is logged; the next check tries again. */
  async renewIfDue(): Promise<boolean> {
    if (!needsCertificate(readCertificate(this.files), this.config.domain, now())) return false;
    return this.renew();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.listener?.stop(true);
  }

  private async renew(): Promise<boolean> {
    try {
      // Loaded only here: acme-client and its crypto packages cost start-up time and memory that
      // a server without TLS_DOMAIN never needs.
      const { obtainCertificate } = await import("./acme.ts");
      await obtainCertificate({ ...this.config, files: this.files, challenges: this.challenges, log: this.log, trustedCa: this.trustedCa });
      return true;
    } catch (error) {
      this.log("error", "getting a certificate failed", { domain: this.config.domain, error: (error as Error).message });
      return false;
    }
  }
}

/** Starts the server behind an automatic certificate: waits for one, then keeps it renewed. */
export async function startServerWithAutoTls(
  config: Config & { autoTls: AutoTlsConfig },
  log: Logger,
  hooks: TestHooks = {},
  firstRetryMs?: number,
): Promise<RunningServer & { autoTls: AutoTls }> {
  const autoTls = new AutoTls(config.autoTls, config.dataDir, config.port, config.host, log, hooks.acmeTrustedCa);
  await autoTls.ready(firstRetryMs);
  const running = startServer({ ...config, tls: { certPath: autoTls.files.certificate, keyPath: autoTls.files.key } }, log, hooks);
  autoTls.keepRenewed(() => running.reloadTls());
  const stop = running.stop;
  return Object.assign(running, {
    autoTls,
    stop: async (graceMs?: number) => {
      autoTls.stop();
      await stop(graceMs);
    },
  });
}
