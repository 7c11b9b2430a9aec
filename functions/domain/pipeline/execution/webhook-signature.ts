import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * GitHub's webhook signature (GitHub docs, "Validating webhook deliveries"): `X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>`, compared in constant time. Only
 * the SHA-256 header is accepted (the SHA-1 `X-Hub-Signature` is legacy). An empty secret verifies nothing.
 */
export function githubSignatureValid(secret: string, body: Uint8Array, header: string | undefined): boolean {
  if (!secret || !header?.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
