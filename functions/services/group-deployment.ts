import { deployInputOf, findGroup, inlineAppSpecText, isGroupDeployment, parseGroupDeployment } from "../domain/groups/index.js";
import type { Deps } from "../wiring.js";

/**
 * A deployment given as `{application, deploymentGroup, revision}` (docs/groups.md) becomes the full deploy-lambda
 * input: the group comes from the stage's groups, the revision's appspec from S3 (read pinned to its version and
 * ETag when given) or inline. Anything else is returned as it is: the full input keeps working unchanged.
 */
export async function expandGroupDeployment(deps: Pick<Deps, "bundles" | "config">, raw: unknown): Promise<unknown> {
  if (!isGroupDeployment(raw)) return raw;
  const request = parseGroupDeployment(raw);
  const groups = deps.config.groups;
  const group = findGroup(groups, request.application, request.deploymentGroup);
  const { s3, appSpecContent } = request.revision;
  const appSpecText = s3 ? (await deps.bundles.inspect(s3)).appSpec.text : appSpecContent !== undefined ? inlineAppSpecText(appSpecContent) : null;
  return deployInputOf(groups, group, request, appSpecText);
}
