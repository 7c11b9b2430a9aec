/** An Auto Scaling group tag (CreateAutoScalingGroup `Tags`): propagated ones are put on the instances it launches. */
export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface AutoScalingGroup {
  name: string;
  arn: string;
  /** The launch template (by name) and version its instances launch from. */
  launchTemplate: { name: string; id: string; version: string };
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Instance ids in launch order, until EC2 reports them terminated. */
  instances: string[];
  tags: GroupTag[];
  targetGroupArns: string[];
  createdAtMs: number;
  /** DeleteAutoScalingGroup with ForceDelete: its instances terminate, then the group is gone ("Delete in progress" until then). */
  deleting: boolean;
  /** PutLifecycleHook's hooks, by name: launch hooks hold launches in Pending:Wait, termination hooks scale-ins in Terminating:Wait. */
  hooks: Map<string, LifecycleHook>;
}

/** A lifecycle hook (PutLifecycleHook): HeartbeatTimeout 30-7200 s (default 3600), DefaultResult CONTINUE or ABANDON (default ABANDON). */
export interface LifecycleHook {
  name: string;
  transition: "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING";
  heartbeatTimeoutSeconds: number;
  defaultResult: "CONTINUE" | "ABANDON";
  notificationMetadata?: string;
}

/** An instance held in Pending:Wait (launch hook) or Terminating:Wait (termination hook) until CompleteLifecycleAction or its heartbeat timeout. */
export interface LifecycleAction {
  group: string;
  hook: string;
  transition: LifecycleHook["transition"];
  instanceId: string;
  token: string;
  /** When the heartbeat timeout applies the hook's DefaultResult (RecordLifecycleActionHeartbeat pushes it back). */
  deadlineMs: number;
}

/** How each lifecycle action ended (what scenarios assert): CompleteLifecycleAction's result or the timeout's DefaultResult. */
export interface LifecycleCompletion {
  group: string;
  hook: string;
  transition: LifecycleHook["transition"];
  instanceId: string;
  result: "CONTINUE" | "ABANDON";
  by: "CompleteLifecycleAction" | "HeartbeatTimeout";
  atMs: number;
}

/** A group instance's LifecycleState as DescribeAutoScalingGroups reports it, from its EC2 state. */
export type LifecycleState = "Pending" | "Pending:Wait" | "InService" | "Terminating:Wait" | "Terminating";
