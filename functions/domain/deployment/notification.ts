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
