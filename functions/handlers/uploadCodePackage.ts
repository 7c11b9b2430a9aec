import type { CheckedPlan } from "../domain/release/index.js";
import type { UploadedCode } from "../ports/lambda-code.js";
import type { ReleaseEvent } from "../lib/release-input.js";
import { uploadCodePackage } from "../services/release-upload.js";
import { type Deps, realDeps } from "../wiring.js";

/** UpdateFunctionCode with the bundle's code package, checked against the CodeSha256 Lambda reports (services/release-upload.ts). */
export function createHandler(deps: Pick<Deps, "bundles" | "lambdaCode" | "log">) {
  return async (event: ReleaseEvent & { plan: Pick<CheckedPlan, "functionName" | "publish"> }): Promise<UploadedCode> => {
    const log = deps.log(event.deploymentId, { releaseId: event.releaseId });
    const { bytes, ...uploaded } = await uploadCodePackage(deps, event);
    log.info("code package uploaded", { functionName: event.plan.functionName, bytes, codeSha256: uploaded.codeSha256 });
    return uploaded;
  };
}

export const handler = createHandler(realDeps());
