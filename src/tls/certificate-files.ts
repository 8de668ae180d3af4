// Where automatic HTTPS keeps its keys and certificate: <data dir>/tls/, written whole or not at
// all (a crash mid-write must not leave a server that can't start).
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Renew when a third of the certificate's life is left (Let's Encrypt: 30 of 90 days), as its
// own clients do; that leaves weeks of retries if the CA is down.
const RENEW_WHEN_LEFT = 1 / 3;

export type CertificateFiles = { dir: string; accountKey: string; key: string; certificate: string };

export function certificateFiles(dataDir: string, domain: string): CertificateFiles {
  const dir = join(dataDir, "tls");
  return { dir, accountKey: join(dir, "acme-account.key"), key: join(dir, `${domain}.key`), certificate: join(dir, `${domain}.crt`) };
}

export function writeWhole(path: string, content: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  writeFileSync(partial, content, { mode: 0o600 });
  renameSync(partial, path);
}

export type CertificateState = { validFrom: number; validTo: number; serial: string; names: string };

export function readCertificate(files: CertificateFiles): CertificateState | undefined {
  if (!existsSync(files.certificate) || !existsSync(files.key)) return undefined;
  try {
    const certificate = new X509Certificate(readFileSync(files.certificate));
    return {
      validFrom: Date.parse(certificate.validFrom),
      validTo: Date.parse(certificate.validTo),
      serial: certificate.serialNumber,
      names: certificate.subjectAltName ?? "",
    };
  } catch {
    return undefined; // unreadable: get a new one
  }
}

/** True when there is no certificate for `domain`, or a third or less of its life is left. */
export function needsCertificate(state: CertificateState | undefined, domain: string, at: number): boolean {
  if (!state?.names.split(", ").includes(`DNS:${domain}`)) return true;
  return state.validTo - at <= (state.validTo - state.validFrom) * RENEW_WHEN_LEFT;
}
