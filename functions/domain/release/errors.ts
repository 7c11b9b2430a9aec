/**
 * `error.name` values of releases; stable, matched by statemachines/release.asl.json and by whoever
 * reads the release events. Every name is defined here once (test/unit/release/errors.test.ts keeps
 * this list and the workflow in step). A release refused for a reason the deployment itself would
 * give (an alias that splits traffic, a CurrentVersion the alias does not serve, a missing hook or
 * alarm) fails with the deployment's own `Deploy.*` name, only earlier: before any code changed.
 */
export const ReleaseErrorNames = {
  /** The stage's release sources (or the stack settings the release functions read) are broken; names the field. */
  InvalidConfiguration: "Release.InvalidConfiguration",
  /** The bundle's appspec is not a valid Lambda appspec (or the code package went missing from the bundle). */
  InvalidBundle: "Release.InvalidBundle",
  /** No code package in the bundle and no real TargetVersion in the appspec: nothing to deploy. */
  NothingToPublish: "Release.NothingToPublish",
  /** The appspec names a function or alias the release source does not own, or one of stepdeploy's own functions. */
  TargetNotAllowed: "Release.TargetNotAllowed",
  /** A hook outside hookFunctionPattern, one of stepdeploy's own functions, or the target function itself. */
  HookNotAllowed: "Release.HookNotAllowed",
  /** The code Lambda reports is not the code this release uploaded. */
  CodeShaMismatch: "Release.CodeShaMismatch",
  /** Lambda did not finish the code update (LastUpdateStatus Failed, or still InProgress after 5 minutes). */
  CodeUpdateFailed: "Release.CodeUpdateFailed",
  /** A source platform the release workflow does not know (it deploys lambda and ecs). */
  UnsupportedPlatform: "Release.UnsupportedPlatform",
  /** The nested deployment failed; its own error and cause are inside the release's cause. */
  DeploymentFailed: "Release.DeploymentFailed",
} as const;

export type ReleaseErrorName = (typeof ReleaseErrorNames)[keyof typeof ReleaseErrorNames];
