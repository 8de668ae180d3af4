// Getting a certificate by ACME (RFC 8555) with the HTTP-01 challenge, through acme-client
// (a maintained package that also works inside the compiled executable). The CA's own check of
// the challenge is the one that counts; we don't check first, since that needs this machine to
// reach itself by its public name, which many home networks can't (no NAT hairpinning). The challenge answers
// are kept in memory and served by the port-80 listener (http-listener.ts).
import { existsSync, readFileSync } from "node:fs";
import { Agent } from "node:https";
import * as acme from "acme-client";
import type { Logger } from "../log.ts";
import { type CertificateFiles, writeWhole } from "./certificate-files.ts";

export type AcmeOptions = {
  domain: string;
  directoryUrl: string;
  email?: string;
  files: CertificateFiles;
  /** token → key authorization, read by the HTTP listener while a challenge is open. */
  challenges: Map<string, string>;
  log: Logger;
  /** Tests only: the test CA's root, to trust its ACME server's own HTTPS. */
  trustedCa?: string;
};

async function accountKey(files: CertificateFiles): Promise<Buffer> {
  if (existsSync(files.accountKey)) return readFileSync(files.accountKey);
  const key = await acme.crypto.createPrivateEcdsaKey();
  writeWhole(files.accountKey, key);
  return key;
}

/**
 * Orders, proves and downloads a certificate; writes key and chain to `files` only once all went
 * well. The account is made once and its URL kept, since a CA may refuse to "update" an account
 * with nothing new (Pebble does), which is what acme-client's all-in-one `auto()` sends.
 */
export async function obtainCertificate(options: AcmeOptions): Promise<void> {
  const { domain, files, challenges, log } = options;
  if (options.trustedCa) acme.axios.defaults.httpsAgent = new Agent({ ca: options.trustedCa });
  const started = performance.now();
  const accountUrlFile = `${files.accountKey}.url`;
  const client = new acme.Client({
    directoryUrl: options.directoryUrl,
    accountKey: await accountKey(files),
    accountUrl: existsSync(accountUrlFile) ? readFileSync(accountUrlFile, "utf8") : undefined,
  });
  if (!existsSync(accountUrlFile)) {
    await client.createAccount({ termsOfServiceAgreed: true, contact: options.email ? [`mailto:${options.email}`] : undefined });
    writeWhole(accountUrlFile, client.getAccountUrl());
  }
  const order = await client.createOrder({ identifiers: [{ type: "dns", value: domain }] });
  for (const authorization of await client.getAuthorizations(order)) {
    if (authorization.status === "valid") continue;
    const challenge = authorization.challenges.find((c) => c.type === "http-01");
    if (!challenge) throw new Error(`the CA offers no HTTP-01 challenge for ${domain}`);
    challenges.set(challenge.token, await client.getChallengeKeyAuthorization(challenge));
    try {
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(challenge);
    } finally {
      challenges.delete(challenge.token);
    }
  }
  const [key, csr] = await acme.crypto.createCsr({ altNames: [domain] }, await acme.crypto.createPrivateEcdsaKey());
  const finalized = await client.finalizeOrder(order, csr);
  const certificate = await client.getCertificate(finalized);
  writeWhole(files.key, key);
  writeWhole(files.certificate, certificate);
  log("info", "certificate obtained", { domain, ms: Math.round(performance.now() - started) });
}
