import { createHash } from "node:crypto";

/**
 * Deterministic identifiers (request ids, revision ids, event ids, code hashes) so that two runs
 * of the same scenario produce byte-identical reports. Shapes follow what AWS returns (UUIDs,
 * base64 SHA-256), values are derived from a per-account counter.
 */
export class IdGenerator {
  private counter = 0;

  constructor(private readonly seed: string) {}

  /** A UUID-shaped id, unique within this account: `xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`. */
  uuid(): string {
    this.counter += 1;
    const h = createHash("sha256").update(`${this.seed}:${this.counter}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** Base64 SHA-256, the encoding Lambda uses for CodeSha256. */
export function sha256Base64(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("base64");
}
