import { createHash } from "node:crypto";
import { StepDeployError, ValidationErrors } from "../domain/errors.js";
import { type CheckedPlan, ReleaseErrorNames } from "../domain/release/index.js";
import { type ReleaseEvent, revisionOf } from "../lib/release-input.js";
import type { UploadedCode } from "../ports/lambda-code.js";
import type { Deps } from "../wiring.js";

/** Lambda's limit for a zip uploaded in the request (UpdateFunctionCode ZipFile). */
export const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

/**
 * Uploads the bundle's code package to the planned function's $LATEST. The bundle is read again,
 * pinned to the same version id and ETag as the plan, and the package's SHA-256 is computed here:
 * Lambda must report the same CodeSha256, and PublishVersion is later told to publish only that code.
 * Runs only after planRelease passed every check; the function is the one the plan allowed.
 */
export async function uploadCodePackage(deps: Pick<Deps, "bundles" | "lambdaCode">, event: ReleaseEvent & { plan: Pick<CheckedPlan, "functionName" | "publish"> }): Promise<UploadedCode & { bytes: number }> {
  const { plan } = event;
  if (plan.publish?.kind !== "zip") throw new ValidationErrors([{ field: "plan.publish.kind", reason: "uploadCodePackage runs only for a zip code package" }]);
  const codePackage = plan.publish.codePackage;
  const inspection = await deps.bundles.inspect(revisionOf(event), { extract: [codePackage], limits: { maxExtractBytes: MAX_DIRECT_ZIP_BYTES } });
  const zip = inspection.extracted[codePackage];
  if (!zip) throw new StepDeployError(ReleaseErrorNames.InvalidBundle, `${codePackage} is no longer in the bundle`);
  const expected = createHash("sha256").update(zip).digest("base64");
  const out = await deps.lambdaCode.updateFunctionZip(plan.functionName, zip);
  if (out.codeSha256 !== expected) {
    throw new StepDeployError(ReleaseErrorNames.CodeShaMismatch, `UpdateFunctionCode ${plan.functionName}: Lambda reports CodeSha256 ${out.codeSha256}, the package ${codePackage} has ${expected}`);
  }
  return { codeSha256: expected, revisionId: out.revisionId, bytes: zip.byteLength };
}
