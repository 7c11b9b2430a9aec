import { createHash, randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

/**
 * A CodeDeploy-shaped deployment id: `d-` and 9 uppercase alphanumerics
 * (codedeploy-spec §7.1, e.g. `d-AB1CDEF23`).
 */
export function newDeploymentId(random: (max: number) => number = randomInt): string {
  let id = "d-";
  for (let i = 0; i < 9; i++) id += ALPHABET[random(ALPHABET.length)];
  return id;
}

/** The execution name carries the id: `d-XXXXXXXXX` alone or followed by `-suffix`. */
export function deploymentIdFromExecutionName(name: string | undefined): string | undefined {
  const m = name?.match(/^(d-[A-Z0-9]{9})(?:$|-)/);
  return m?.[1];
}

/** A deployment id derived from `seed` (the same seed, the same id): what a retried or redelivered step creates once. */
export function deploymentIdFrom(seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let id = "d-";
  for (let i = 0; i < 9; i++) id += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return id;
}
