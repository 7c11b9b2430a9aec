import { describeAlias, aliasRoutingFor, sameRouting, weightOnAlias } from "../../domain/traffic/lambda-alias.js";
import type { LambdaAliasTarget } from "../../domain/traffic/target.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { AliasConfig, LambdaAliasPort } from "../../ports/lambda-alias.js";
import type { RestoreResult, TrafficReading, TrafficRouter } from "../../ports/traffic-router.js";

const reading = (alias: AliasConfig, target: LambdaAliasTarget): TrafficReading => ({
  weight: weightOnAlias(alias, target),
  revision: alias.revisionId,
  describe: describeAlias(alias),
});

/**
 * The Lambda alias router: GetAlias, and UpdateAlias carrying the RevisionId the deployment last read or wrote
 * (Lambda API reference, UpdateAlias RevisionId: "only update the alias if the revision ID matches"). A
 * refused write is looked at once more: if the alias already is what we asked for, our own earlier attempt
 * landed (a retried request) and that is success; if it is at one of the weights this deployment writes, it is
 * our own earlier step and the write is made from there; anything else is another writer's change, reported as
 * `Deploy.TrafficConflict` with what the alias is now, and never overwritten.
 */
export function lambdaAliasRouter(lambda: LambdaAliasPort): TrafficRouter<LambdaAliasTarget> {
  const write = async (target: LambdaAliasTarget, weight: number, expectedRevision: string, ownWeights: number[] = []): Promise<TrafficReading> => {
    const wanted = aliasRoutingFor(weight, target);
    try {
      return reading(await lambda.updateAlias(target.functionName, target.alias, wanted, expectedRevision), target);
    } catch (e) {
      if ((e as Error).name !== ErrorNames.TrafficConflict) throw e;
      const now = await lambda.getAlias(target.functionName, target.alias);
      if (sameRouting(now, wanted)) return reading(now, target);
      // Our own earlier write whose answer was lost (the step failed after it landed and is retried, possibly towards
      // another weight since, e.g. after a promote): written from there, still conditional on what we just read.
      const mine = weightOnAlias(now, target);
      if (mine !== null && ownWeights.includes(mine)) return reading(await lambda.updateAlias(target.functionName, target.alias, wanted, now.revisionId), target);
      throw new StepDeployError(
        ErrorNames.TrafficConflict,
        `${target.functionName}:${target.alias} was changed by another writer (now ${describeAlias(now)}); stepdeploy did not overwrite it`,
      );
    }
  };
  return {
    async read(target) {
      return reading(await lambda.getAlias(target.functionName, target.alias), target);
    },
    setWeight: write,
    async verify(target, weight) {
      const now = reading(await lambda.getAlias(target.functionName, target.alias), target);
      if (now.weight !== weight) {
        throw new StepDeployError(ErrorNames.TrafficConflict, `${target.functionName}:${target.alias} serves ${now.describe}, not ${weight}% on version ${target.toVersion}: another writer changed it`);
      }
      return now;
    },
    async restore(target, expectedRevision, ownWeights = []): Promise<RestoreResult> {
      try {
        return { restored: true, reading: await write(target, 0, expectedRevision) };
      } catch (e) {
        if ((e as Error).name !== ErrorNames.TrafficConflict) throw e;
        const now = reading(await lambda.getAlias(target.functionName, target.alias), target);
        if (now.weight !== null && [0, ...ownWeights].includes(now.weight)) return { restored: true, reading: await write(target, 0, now.revision) };
        return { restored: false, reading: now, reason: (e as Error).message };
      }
    },
  };
}
