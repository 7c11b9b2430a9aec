import type { InstallCommand } from "./types.js";

/**
 * CodeDeploy's hook environment variables (codedeploy-spec §3.8, UG reference-appspec-file-structure-hooks):
 * APPLICATION_NAME, DEPLOYMENT_ID, DEPLOYMENT_GROUP_NAME, DEPLOYMENT_GROUP_ID, and for S3 bundles BUNDLE_BUCKET,
 * BUNDLE_KEY, BUNDLE_VERSION (only when the bucket is versioned), BUNDLE_ETAG. LIFECYCLE_EVENT is set per event.
 */
export function hookEnvironment(command: InstallCommand): [string, string][] {
  const { bundle } = command;
  const env: [string, string][] = [
    ["APPLICATION_NAME", command.applicationName],
    ["DEPLOYMENT_ID", command.deploymentId],
    ["DEPLOYMENT_GROUP_NAME", command.deploymentGroupName],
    ["DEPLOYMENT_GROUP_ID", command.deploymentGroupId],
    ["BUNDLE_BUCKET", bundle.bucket],
    ["BUNDLE_KEY", bundle.key],
  ];
  if (bundle.version) env.push(["BUNDLE_VERSION", bundle.version]);
  env.push(["BUNDLE_ETAG", bundle.etag]);
  return env;
}
