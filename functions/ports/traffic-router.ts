import type { TrafficTarget } from "../domain/traffic/target.js";

/** Where traffic stands on a target, in the deployment's terms. */
export interface TrafficReading {
  /** Percent on the new version; null when the target is in a state this deployment did not make (another writer). */
  weight: number | null;
  /** The target's revision (Lambda alias RevisionId): the precondition of the next write. */
  revision: string;
  /** What the target is now, for messages ("version 3 with {4: 0.1}"). */
  describe: string;
}

/**
 * Moves traffic on one kind of target. Every write names the revision it was decided on: a target changed by
 * someone else since is never overwritten (`Deploy.TrafficConflict`). Implemented per target kind
 * (functions/services/routers/): the Lambda alias router now, listener weights (ELBv2) later.
 */
export interface TrafficRouter<T extends TrafficTarget = TrafficTarget> {
  read(target: T): Promise<TrafficReading>;
  /**
   * Sets `weight` percent on the new version if the target is still at `expectedRevision`; returns the new revision.
   * A target found at one of `ownWeights` (weights this deployment writes) is taken as this deployment's own earlier
   * write whose answer was lost (a step retried after its write landed), and written from there.
   */
  setWeight(target: T, weight: number, expectedRevision: string, ownWeights?: number[]): Promise<TrafficReading>;
  /** Reads back and throws `Deploy.TrafficConflict` unless `weight` is what the target serves. */
  verify(target: T, weight: number): Promise<TrafficReading>;
  /**
   * Back to 100% on the old version, unless someone else changed the target since `expectedRevision`. A target
   * found at one of `ownWeights` (weights this deployment writes) is taken as this deployment's own write whose
   * answer was lost, and restored from there.
   */
  restore(target: T, expectedRevision: string, ownWeights?: number[]): Promise<RestoreResult>;
}

export type RestoreResult = { restored: true; reading: TrafficReading } | { restored: false; reading: TrafficReading; reason: string };
