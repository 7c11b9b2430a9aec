import type { TargetHealthEntry } from "./load-balancer.js";

/** A Classic Load Balancer as Start reads it: how long a deregistered instance drains and how long a new one takes to be InService. */
export interface ClassicLoadBalancerInfo {
  name: string;
  /** The ConnectionDraining attribute's timeout (DescribeLoadBalancerAttributes), 0 when draining is disabled. */
  drainSeconds: number;
  /** Health check every `intervalSeconds`, InService after `healthyThreshold` passing in a row (DescribeLoadBalancers). */
  healthCheck: { intervalSeconds: number; healthyThreshold: number };
}

/**
 * Classic Load Balancers (Elastic Load Balancing 2012-06-01) as an EC2/on-premises deployment uses them: a deployment
 * group's `loadBalancerInfo.elbInfoList`, BlockTraffic and AllowTraffic of its instances.
 */
export interface ClassicLoadBalancerPort {
  /** DescribeLoadBalancers and DescribeLoadBalancerAttributes, in order; a missing one is `Deploy.ResourceNotFound`. */
  describe(names: string[]): Promise<ClassicLoadBalancerInfo[]>;
  /** RegisterInstancesWithLoadBalancer. */
  registerInstances(name: string, instanceIds: string[]): Promise<void>;
  /** DeregisterInstancesFromLoadBalancer of those of the instances the load balancer has registered (the others are out already). */
  deregisterInstances(name: string, instanceIds: string[]): Promise<void>;
  /**
   * DescribeInstanceHealth of every instance the load balancer lists, in the target-group vocabulary the traffic
   * judgement reads: InService `healthy`, InService while deregistering `draining`, OutOfService `unhealthy`.
   */
  instanceHealth(name: string): Promise<TargetHealthEntry[]>;
}
