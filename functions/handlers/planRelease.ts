import { inspectRevision } from "../adapters/s3.js";
import { parseAppSpec } from "../domain/appspec/index.js";
import { type ReleasePlan, planFromBundle, planFromImage } from "../domain/release/index.js";
import { logger } from "../lib/logger.js";
import { type ReleaseEvent, releaseSourceOf, revisionOf } from "../lib/release-input.js";

/**
 * First step of a release: read what was pushed and decide what to do (domain/release/plan.ts).
 * S3: fetch the bundle pinned to the event's version id and ETag, validate its appspec as CodeDeploy
 * would (CurrentVersion/TargetVersion may be left for the release to fill in), and look for the
 * code package. ECR: the image digest is the new code. Nothing in the account changes here.
 */
export async function handler(event: ReleaseEvent, context?: { invokedFunctionArn?: string }): Promise<ReleasePlan> {
  logger.appendKeys({ releaseId: event.releaseId, deploymentId: event.deploymentId });
  const source = releaseSourceOf(event);
  let plan: ReleasePlan;
  if ("ecr" in source && event.trigger.kind === "ecr") {
    // The event names the registry's account and region; our own ARN is the fallback.
    const accountId = context?.invokedFunctionArn?.split(":")[4] ?? "";
    plan = planFromImage(source, event.trigger, { region: process.env.AWS_REGION ?? "us-east-1", accountId });
  } else if ("s3" in source && event.trigger.kind === "s3") {
    const inspection = await inspectRevision(revisionOf(event));
    const appspec = parseAppSpec(inspection.appSpec.text, { platform: "lambda", versionsOptional: true });
    plan = planFromBundle(source, appspec, inspection.entries);
  } else {
    throw new Error(`release source '${source.name}' does not take ${event.trigger.kind} events`);
  }
  logger.info("release planned", { functionName: plan.functionName, alias: plan.alias, publish: plan.publish?.kind ?? "none", notes: plan.notes });
  return plan;
}
