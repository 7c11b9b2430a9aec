import type { MetricGate } from "../gates/gate.js";
import type { LambdaAliasTarget } from "../traffic/target.js";
import type { StepCursor } from "./cursor.js";
import type { DeployLambdaInput } from "./input.js";
import type { DeploymentEventDetail } from "./notification.js";
import type { TrafficPlan } from "./plan.js";

/** The deployment as it flows through the deploy-lambda state machine (`$.deployment`). */
export interface LambdaDeployment {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  functionName: string;
  alias: string;
  aliasArn: string;
  /** The traffic target: what the router moves and the lock protects. */
  target: LambdaAliasTarget;
  /** The target's lock key (the alias ARN). */
  lockKey: string;
  /** The deployment's account and region: its alarms live there. */
  account: string;
  region: string;
  currentVersion: string;
  targetVersion: string;
  config: string;
  hooks: DeployLambdaInput["hooks"];
  alarms: string[];
  /** Alarms already in ALARM at the start that the deployment was told to ignore (recorded, emitted). */
  ignoredAlarms: string[];
  ignorePollAlarmFailure: boolean;
  alarmPollSeconds: number;
  alarmMonitoring: "events" | "polling";
  metricGates: MetricGate[];
  hasGates: boolean;
  autoRollback: DeployLambdaInput["autoRollback"];
  /** START detail; terminal events merge their fields over it. */
  eventDetail: DeploymentEventDetail;
  /** EventBridge `resources` of every notification. */
  resources: string[];
  /** Detail fields merged over `eventDetail` for outcomes the ASL cannot compute itself. */
  eventOutcomes: { success: TerminalFields; rollbackFailed: TerminalFields };
}

export interface TerminalFields {
  state: "SUCCESS" | "FAILURE" | "STOP";
  reason: string | null;
  rollback: boolean;
  error?: string;
}

/** What the start hands to the rest of the workflow. */
export interface PreparedDeployment {
  deployment: LambdaDeployment;
  plan: TrafficPlan;
  cursor: StepCursor;
}
