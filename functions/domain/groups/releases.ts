import { EcrReleaseSourceSchema, EcsServiceReleaseSourceSchema, type LabelledSource, type ReleaseSource, S3ReleaseSourceSchema } from "../release/source-config.js";
import type { EcsDeploymentGroup, Groups, LambdaDeploymentGroup } from "./groups.js";
import { configOf, watchFieldsOf } from "./request.js";

/**
 * A deployment group's `release` section is a release source (docs/releases.md) whose target, hooks and deployment
 * settings are the group's: an S3 upload under its prefix or an ECR push to its repository releases to the group's
 * function and alias with the group's config, alarms, auto rollback, alarm monitoring and metric gates, as
 * `stepdeploy deploy --application --deployment-group` would. The dispatcher and the plan read these beside
 * config/releases.<stage>.json, checked together (one owner per function:alias, no two sources for one event).
 */
export function releaseSourcesOfGroups(groups: Groups): LabelledSource[] {
  return groups.groups.flatMap((g) => {
    const at = `applications.${g.application}.deploymentGroups.${g.deploymentGroup}.release`;
    if (g.computePlatform === "Lambda" && g.release) return [{ at, source: releaseSourceOf(groups, g) }];
    if (g.computePlatform === "ECS" && g.release) return [{ at, source: ecsReleaseSourceOf(groups, g) }];
    return [];
  });
}

/** An ECS group's release: the deploy-ecs settings are the group's, the container and port the release's. */
function ecsReleaseSourceOf(groups: Groups, g: EcsDeploymentGroup): ReleaseSource {
  const release = g.release as NonNullable<EcsDeploymentGroup["release"]>;
  return EcsServiceReleaseSourceSchema.parse({
    name: release.name,
    platform: "ecs",
    application: g.application,
    deploymentGroup: g.deploymentGroup,
    ecr: release.ecr,
    deployment: {
      ecs: { ...g.ecs, containerName: release.containerName, containerPort: release.containerPort },
      deploymentConfig: configOf(groups, g),
      blueGreen: g.blueGreen,
      ...(Object.keys(g.hooks).length ? { hooks: g.hooks } : {}),
      // The group's alarms, rollback, monitoring, gates and queue; a release has no per-deployment overrides.
      ...watchFieldsOf(g, {}),
    },
  });
}

function releaseSourceOf(groups: Groups, g: LambdaDeploymentGroup): ReleaseSource {
  const release = g.release as NonNullable<LambdaDeploymentGroup["release"]>;
  const target = { name: g.target.functionName, alias: g.target.alias };
  const base = {
    name: release.name,
    application: g.application,
    deploymentGroup: g.deploymentGroup,
    hooks: { beforeAllowTraffic: g.hooks.beforeAllowTraffic, afterAllowTraffic: g.hooks.afterAllowTraffic },
    deployment: {
      deploymentConfig: configOf(groups, g),
      alarms: g.alarms,
      ignorePollAlarmFailure: g.ignorePollAlarmFailure,
      autoRollback: g.autoRollback,
      alarmMonitoring: g.alarmMonitoring,
      ...(g.alarmPollSeconds ? { alarmPollSeconds: g.alarmPollSeconds } : {}),
      ...(g.metricGates ? { metricGates: g.metricGates } : {}),
      hookTimeoutSeconds: g.hooks.timeoutSeconds,
    },
  };
  // Through the same schemas as the file's sources: the defaults are filled in the same way, and the copy a release
  // execution carries parses back to exactly this (functions/lib/release-input.ts compares the two).
  if (release.s3) return S3ReleaseSourceSchema.parse({ ...base, s3: release.s3, functions: [target], ...(release.codePackage ? { codePackage: release.codePackage } : {}) });
  return EcrReleaseSourceSchema.parse({ ...base, ecr: release.ecr, function: target });
}
