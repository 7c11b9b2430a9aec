/**
 * EventBridge notifications, shaped after CodeDeploy's "Deployment State-change Notification"
 * (codedeploy-spec §7.2) with our own source and detail-type, plus Lambda-specific fields.
 */
export const EVENT_SOURCE = "stepdeploy";
export const DEPLOYMENT_DETAIL_TYPE = "StepDeploy Deployment State-change Notification";

export type DeploymentEventState = "START" | "SUCCESS" | "FAILURE" | "STOP";

export interface DeploymentEventDetail {
  application: string;
  deploymentGroup: string;
  deploymentId: string;
  /** CodeDeploy's name for the deployment group's id (its events carry it): the group's UUID (domain/groups). */
  instanceGroupId: string;
  state: DeploymentEventState;
  region: string;
  config: string;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  reason: string | null;
  rollback: boolean;
  error?: string;
  /** Alarms firing at the start that this deployment ignores (CodeDeploy's overrideAlarmConfiguration). */
  ignoredAlarms?: string[];
}

/** The START detail; terminal states merge `{state, reason, rollback, error}` over it (States.JsonMerge in the ASL). */
export function startEventDetail(d: Omit<DeploymentEventDetail, "state" | "reason" | "rollback">): DeploymentEventDetail {
  return { ...d, state: "START", reason: null, rollback: false };
}

/**
 * The event's `resources`: the traffic target, then the application and the deployment group in CodeDeploy's ARN
 * form (`...:application:<app>`, `...:deploymentgroup:<app>/<group>`, codedeploy-spec §7.2), so a consumer written
 * for CodeDeploy's events reads the names where it expects them. They name stepdeploy's groups; no CodeDeploy
 * resource of that ARN exists.
 */
export function eventResources(targetArn: string, where: { region: string; account: string }, application: string, deploymentGroup: string): string[] {
  const partition = targetArn.split(":")[1] || "aws";
  const base = `arn:${partition}:codedeploy:${where.region}:${where.account}`;
  return [targetArn, `${base}:application:${application}`, `${base}:deploymentgroup:${application}/${deploymentGroup}`];
}
