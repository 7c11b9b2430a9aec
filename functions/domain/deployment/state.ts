import type { DeployLambdaInput } from "./input.js";
import type { DeploymentEventDetail } from "./notification.js";
import type { MetricGate } from "../gates/gate.js";
import type { AliasRouting, TrafficPlan } from "./plan.js";

/** The deployment as it flows through the deploy-lambda state machine (`$.deployment`). */
export interface LambdaDeployment {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  functionName: string;
  alias: string;
  aliasArn: string;
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
  /** The alias state a rollback restores: 100% on currentVersion, no routing config. */
  rollbackTo: { functionVersion: string; routingConfig: AliasRouting };
  /** The alias state a promotion (or the last step) sets: 100% on targetVersion. */
  promoteTo: { functionVersion: string; routingConfig: AliasRouting };
  /** Detail fields merged over `eventDetail` for outcomes the ASL cannot compute itself. */
  eventOutcomes: { success: TerminalFields; rollbackFailed: TerminalFields };
}

export interface TerminalFields {
  state: "SUCCESS" | "FAILURE" | "STOP";
  reason: string | null;
  rollback: boolean;
  error?: string;
}

export interface PreparedDeployment {
  deployment: LambdaDeployment;
  plan: TrafficPlan;
}
