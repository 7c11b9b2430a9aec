import { newDeploymentId } from "../domain/deployment/ids.js";
import {
  checkRevision,
  deployInputOf,
  ecsDeployInputOf,
  findGroup,
  type GroupDeployment,
  type Groups,
  inlineAppSpecText,
  isGroupDeployment,
  parseGroupDeployment,
  platformMismatch,
  serverDeployInputOf,
} from "../domain/groups/index.js";
import type { Deps } from "../wiring.js";

/**
 * A deployment given as `{application, deploymentGroup, revision}` (docs/groups.md) becomes the full input of the
 * state machine that runs it: the group comes from the stage's groups, the revision's appspec from S3 (read pinned
 * to its version and ETag when given) or inline. Anything else is returned as it is: the full inputs keep working
 * unchanged. A group of another platform than the machine's is refused naming the machine to start.
 */
export async function expandGroupDeployment(deps: Pick<Deps, "bundles" | "config">, raw: unknown): Promise<unknown> {
  if (!isGroupDeployment(raw)) return raw;
  const { groups, group, request } = requested(deps, raw);
  // Another platform's group is refused before its revision is read.
  if (group.computePlatform !== "Lambda") throw platformMismatch(group, "Lambda");
  return deployInputOf(groups, group, request, await appSpecOf(deps, request));
}

/** The same for deploy-ecs: an ECS group plus an AppSpec (S3 YAML/JSON file or inline) becomes the deploy-ecs input. */
export async function expandEcsGroupDeployment(deps: Pick<Deps, "bundles" | "config">, raw: unknown): Promise<unknown> {
  // The full deploy-ecs input has a revision too; it names its service (`ecs`), a group deployment does not.
  if (!isGroupDeployment(raw) || "ecs" in (raw as object)) return raw;
  const { groups, group, request } = requested(deps, raw);
  if (group.computePlatform !== "ECS") throw platformMismatch(group, "ECS");
  checkRevision(group, request);
  return ecsDeployInputOf(groups, group, request, (await appSpecOf(deps, request)) ?? "");
}

/** The same for deploy-server: a Server group plus an S3 archive becomes the deploy-server input (nothing is read here). */
export function expandServerGroupDeployment(deps: Pick<Deps, "config">, raw: unknown): unknown {
  // The full deploy-server input has a revision too; it names its instances (`target`), a group deployment does not.
  if (!isGroupDeployment(raw) || "target" in (raw as object)) return raw;
  const { groups, group, request } = requested(deps, raw);
  if (group.computePlatform !== "Server") throw platformMismatch(group, "Server");
  return serverDeployInputOf(groups, group, request, request.deploymentId ?? newDeploymentId());
}

function requested(deps: Pick<Deps, "config">, raw: unknown) {
  const request = parseGroupDeployment(raw);
  const groups: Groups = deps.config.groups;
  return { groups, request, group: findGroup(groups, request.application, request.deploymentGroup) };
}

async function appSpecOf(deps: Pick<Deps, "bundles">, request: GroupDeployment): Promise<string | null> {
  const { s3, appSpecContent } = request.revision;
  return s3 ? (await deps.bundles.inspect(s3)).appSpec.text : appSpecContent !== undefined ? inlineAppSpecText(appSpecContent) : null;
}
