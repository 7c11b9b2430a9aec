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
}

/** A group instance's LifecycleState as DescribeAutoScalingGroups reports it, from its EC2 state. */
export type LifecycleState = "Pending" | "InService" | "Terminating";
