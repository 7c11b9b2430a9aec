import type { WeightedTargetGroup } from "../domain/ecs/weights.js";

/** What a listener (its default action) or a listener rule forwards to. */
export interface RouteForward {
  arn: string;
  kind: "listener" | "rule";
  /** From the ARN: `app` (Application Load Balancer) or `net` (Network Load Balancer). */
  loadBalancer: "application" | "network";
  targetGroups: WeightedTargetGroup[];
}

export interface TargetHealthEntry {
  id: string;
  port: number;
  state: string;
  reason?: string;
}

/** ELBv2 as an ECS deployment uses it: one forward action per listener or rule, target groups and their targets' health. */
export interface LoadBalancerPort {
  /** DescribeListeners or DescribeRules by the route's ARN. */
  readRoute(arn: string): Promise<RouteForward>;
  /**
   * ModifyListener or ModifyRule with one weighted forward action. A load balancer that refuses weights
   * (a Network Load Balancer without weighted target groups) is reported as `Deploy.UnsupportedTrafficConfig`.
   */
  writeRoute(arn: string, targetGroups: WeightedTargetGroup[]): Promise<RouteForward>;
  /** Target group ARNs for names or ARNs, in order (DescribeTargetGroups); a missing one is `Deploy.ResourceNotFound`. */
  targetGroupArns(namesOrArns: string[]): Promise<string[]>;
  /** The same lookup with each group's name and target type (EC2 in-place deployments need `instance`). */
  describeTargetGroups(namesOrArns: string[]): Promise<TargetGroupInfo[]>;
  targetHealth(targetGroupArn: string): Promise<TargetHealthEntry[]>;
  /** The group's `deregistration_delay.timeout_seconds` (DescribeTargetGroupAttributes): how long a deregistered target drains. */
  deregistrationDelay(targetGroupArn: string): Promise<number>;
  /** RegisterTargets / DeregisterTargets of EC2 instances (on the target group's port). */
  registerInstances(targetGroupArn: string, instanceIds: string[]): Promise<void>;
  deregisterInstances(targetGroupArn: string, instanceIds: string[]): Promise<void>;
}

export interface TargetGroupInfo {
  arn: string;
  name: string;
  targetType: string;
  /** Health checks: every `intervalSeconds`, healthy after `healthyThresholdCount` passing in a row. */
  healthCheck: { intervalSeconds: number; healthyThresholdCount: number };
  /** The load balancers whose listeners or rules forward to the group (DescribeTargetGroups' LoadBalancerArns). */
  loadBalancerArns?: string[];
}
