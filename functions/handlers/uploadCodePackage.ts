import { createHash } from "node:crypto";
import { updateFunctionZip } from "../adapters/lambda.js";
import { inspectRevision } from "../adapters/s3.js";
import { StepDeployError } from "../domain/errors.js";
import { RELEASE_ERRORS, type ReleasePlan } from "../domain/release/index.js";
import { logger } from "../lib/logger.js";
import { type ReleaseEvent, revisionOf } from "../lib/release-input.js";

/** Lambda's limit for a zip uploaded in the request (UpdateFunctionCode ZipFile). */
export const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

/**
 * Uploads the bundle's code package to the function's $LATEST. The bundle is read again, pinned
 * to the same version id and ETag as the plan, and the package's SHA-256 is computed here: Lambda
 * must report the same CodeSha256, and PublishVersion is later told to publish only that code.
 */
export async function handler(event: ReleaseEvent & { plan: ReleasePlan }): Promise<{ codeSha256: string; revisionId: string }> {
  logger.appendKeys({ releaseId: event.releaseId, deploymentId: event.deploymentId });
  const publish = event.plan.publish;
  if (publish?.kind !== "zip") throw new Error("uploadCodePackage runs only for a zip code package");
  const inspection = await inspectRevision(revisionOf(event), { extract: [publish.codePackage], limits: { maxExtractBytes: MAX_DIRECT_ZIP_BYTES } });
  const zip = inspection.extracted[publish.codePackage];
  if (!zip) throw new StepDeployError(RELEASE_ERRORS.InvalidBundle, `${publish.codePackage} is no longer in the bundle`);
  const expected = createHash("sha256").update(zip).digest("base64");
  const out = await updateFunctionZip(event.plan.functionName, zip);
  if (out.codeSha256 !== expected) {
    throw new StepDeployError(RELEASE_ERRORS.CodeShaMismatch, `UpdateFunctionCode ${event.plan.functionName}: Lambda reports CodeSha256 ${out.codeSha256}, the package ${publish.codePackage} has ${expected}`);
  }
  logger.info("code package uploaded", { functionName: event.plan.functionName, bytes: zip.byteLength, codeSha256: expected });
  return { codeSha256: expected, revisionId: out.revisionId };
}
