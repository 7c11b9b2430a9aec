/**
 * EC2 and Auto Scaling as an EC2 blue/green deployment uses them: find instances by tag, terminate the original ones,
 * copy an Auto Scaling group for the green fleet and delete one. Implemented by adapters/ec2.ts and adapters/auto-scaling.ts.
 */
export interface Ec2Instance {
  id: string;
  /** EC2's state name: pending, running, shutting-down, terminated, stopping, stopped. */
  state: string;
}

export interface Ec2InstancesPort {
  /** Instances with every given tag (key -> any of the values) and/or the given ids, in any state. */
  findInstances(query: { tags?: Record<string, string[]>; tagKeys?: string[]; instanceIds?: string[] }): Promise<Ec2Instance[]>;
  /** TerminateInstances (at most 1000 ids a call). */
  terminate(instanceIds: string[]): Promise<void>;
}

export interface AutoScalingGroupView {
  name: string;
  launchTemplate?: { id?: string; name?: string; version?: string };
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instances: { id: string; lifecycleState: string }[];
  /** Tags propagated at launch (what a copy carries on). */
  tags: { key: string; value: string; propagateAtLaunch: boolean }[];
  targetGroupArns: string[];
}

export interface AutoScalingPort {
  /** The group, or undefined when it does not exist (or is being deleted and gone). */
  describeGroup(name: string): Promise<AutoScalingGroupView | undefined>;
  /** CreateAutoScalingGroup from a launch template with the given capacity and tags. */
  createGroup(group: { name: string; launchTemplate: NonNullable<AutoScalingGroupView["launchTemplate"]>; minSize: number; maxSize: number; desiredCapacity: number; tags: AutoScalingGroupView["tags"] }): Promise<void>;
  /** DeleteAutoScalingGroup with ForceDelete: its instances are terminated. */
  deleteGroup(name: string): Promise<void>;
  /** PutLifecycleHook for launches (create or update, so idempotent); false when the group does not exist. */
  putLaunchHook(group: string, hook: { name: string; heartbeatTimeoutSeconds: number; defaultResult: "CONTINUE" | "ABANDON"; transition?: "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING" }): Promise<boolean>;
  /** CompleteLifecycleAction by token; false when Auto Scaling has no such action any more (ValidationError: timed out, terminated). */
  completeLifecycleAction(action: { group: string; hook: string; token: string; result: "CONTINUE" | "ABANDON" }): Promise<boolean>;
}
