import { resolveEcsConfig } from "../../domain/ecs/configs.js";
import { type DeployEcsInput, parseDeployEcsInput } from "../../domain/ecs/input.js";
import { pinnedTaskDefinition } from "../../domain/ecs/release.js";
import { ValidationError, ValidationErrors } from "../../domain/errors.js";
import { asSourceSettingsError, describeTrigger, ReleaseErrorNames } from "../../domain/release/index.js";
import { configuredSource, type ReleaseConfig, type ReleaseEvent } from "../../lib/release-input.js";
import type { Deps } from "../../wiring.js";

/** What PrepareEcsRelease answers: the deploy-ecs input (or why there is nothing to deploy) and the choices made. */
export interface EcsReleasePlan {
  platform: "ecs";
  skip: boolean;
  reason: string | null;
  taskDefinition: string;
  deployment: Record<string, unknown>;
  notes: string[];
}

const refuse = (field: string, reason: string) => new ValidationErrors([{ field, reason }], ReleaseErrorNames.InvalidConfiguration);

/**
 * An ECR push to an ECS source's repository: check the source's deployment settings as deploy-ecs will, read the
 * service's PRIMARY task set and its task definition, and register a revision of it with the pushed image pinned
 * by digest (domain/ecs/release.ts). One revision per push: when the family's latest revision already is exactly
 * that (a retried step), it is reused. A service already running the pushed digest deploys nothing.
 */
export async function prepareEcsRelease(deps: Pick<Deps, "ecs">, event: ReleaseEvent, config: ReleaseConfig): Promise<EcsReleasePlan> {
  const source = configuredSource(event, config.sources);
  const t = event.trigger;
  if (source.platform !== "ecs") throw refuse("source.platform", `release source '${source.name}' is not an ECS service's`);
  if (t.kind !== "ecr") throw refuse("trigger.kind", `release source '${source.name}' takes ECR pushes, not ${t.kind} events`);
  const draft = { ...source.deployment, deploymentId: event.deploymentId, application: source.application, deploymentGroup: source.deploymentGroup };
  const input = checkedSettings(source.name, draft);
  const { cluster, service } = input.target;
  const svc = await deps.ecs.describeService(cluster, service);
  const primary = svc.taskSets.find((s) => s.status === "PRIMARY");
  if (!primary) throw refuse(`${source.name}.deployment.ecs`, `service ${cluster}/${service} has no PRIMARY task set to release from (deploy it once with deploy-ecs)`);
  const current = await deps.ecs.describeTaskDefinition(primary.taskDefinition);
  const repositoryUri = `${t.account ?? config.policy.accountId}.dkr.ecr.${t.region ?? config.policy.region}.amazonaws.com/${t.repository}`;
  let pinned: ReturnType<typeof pinnedTaskDefinition>;
  try {
    pinned = pinnedTaskDefinition(current, { repositoryUri, digest: t.digest }, input.target.containerName);
  } catch (e) {
    if (e instanceof ValidationError) throw refuse(`${source.name}.deployment.ecs.containerName`, e.reason);
    throw e;
  }
  const image = `${repositoryUri}@${t.digest}`;
  const description = `release ${event.releaseId} of ${describeTrigger(t)}`.slice(0, 256);
  const notes = [`container image ${t.repository}@${t.digest}${t.tag ? ` (pushed as :${t.tag})` : ""}: ${pinned.containers.join(", ")} of ${current.arn} pinned by digest`];
  if (same(pinned.body, current.body)) {
    return { platform: "ecs", skip: true, reason: `${cluster}/${service} already runs ${image} (${current.arn})`, taskDefinition: current.arn, deployment: { ...draft, description, revision: { taskDefinition: current.arn } }, notes };
  }
  const latest = await deps.ecs.describeTaskDefinition(current.family);
  const registered = same(latest.body, pinned.body) ? latest : await deps.ecs.registerTaskDefinition(pinned.body);
  notes.push(registered === latest ? `${latest.arn} already is that revision (registered by an earlier attempt): reused` : `registered ${registered.arn}`);
  return { platform: "ecs", skip: false, reason: null, taskDefinition: registered.arn, deployment: { ...draft, description, revision: { taskDefinition: registered.arn } }, notes };
}

/** The source's settings as deploy-ecs will read them (the revision is the push's; any value stands in for it here). */
function checkedSettings(name: string, draft: Record<string, unknown>): DeployEcsInput {
  try {
    const input = parseDeployEcsInput({ ...draft, revision: { taskDefinition: "release:1" } });
    resolveEcsConfig(input.deploymentConfig);
    return input;
  } catch (e) {
    throw asSourceSettingsError(name, e);
  }
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a) === JSON.stringify(b);
