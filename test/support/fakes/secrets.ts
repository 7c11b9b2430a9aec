import type { SecretsPort } from "../../../functions/ports/secrets.js";

/** Secrets by name, in memory; `reads` counts the lookups (a rotated secret must apply at once). */
export class FakeSecrets implements SecretsPort {
  readonly values = new Map<string, string>();
  reads = 0;
  async secret(name: string): Promise<string | undefined> {
    this.reads++;
    return this.values.get(name);
  }
}
