import { createHash } from "node:crypto";
import type { ModeHistory } from "./modes.js";

/**
 * The resources of the simulated ELBv2 (Application and Network Load Balancers) as the world keeps
 * them. Times are simulated seconds (clock.elapsedSeconds); ARNs and ids have AWS's shapes
 * (`arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<16 hex>`, ...).
 */
export type LoadBalancerType = "application" | "network";
export const LOAD_BALANCER_TYPES: readonly LoadBalancerType[] = ["application", "network"];

/** Target group protocols per load balancer type (ELBv2 API reference, CreateTargetGroup `Protocol`). */
export const PROTOCOLS: Record<LoadBalancerType, readonly string[]> = {
  application: ["HTTP", "HTTPS"],
  network: ["TCP", "TLS", "UDP", "TCP_UDP"],
};

export interface LoadBalancer {
  name: string;
  arn: string;
  type: LoadBalancerType;
  /** `app` or `net`, the type's part of ARNs. */
  kind: "app" | "net";
  id: string;
  dnsName: string;
  /**
   * Network Load Balancers accept weighted forward actions since 19 November 2025 (AWS blog "Network
   * Load Balancers now support weighted target groups"; terraform-provider-aws#45164). `false` makes this
   * one answer as before (an endpoint or partition that predates it), for testing the refusal path.
   */
  weightedTargetGroups: boolean;
  createdAtSeconds: number;
}

export interface HealthCheck {
  intervalSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
}

/**
 * CreateTargetGroup's defaults (ELBv2 API reference): interval 30 s, 5 successes to become healthy,
 * 2 failures to become unhealthy; `deregistration_delay.timeout_seconds` 300 (target group attributes).
 */
export const DEFAULT_HEALTH_CHECK: HealthCheck = { intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 2 };
export const DEFAULT_DEREGISTRATION_DELAY = 300;

export interface RegisteredTarget {
  id: string;
  port: number;
  /** When the target was registered (may be in the future: an ECS task that is still starting). */
  registeredAt: number;
  deregisteredAt?: number;
  /** Health of the application on the target over time (ECS: the task definition's behaviour). */
  app?: ModeHistory;
}

export interface TargetGroup {
  name: string;
  arn: string;
  id: string;
  protocol: string;
  port: number;
  targetType: "ip" | "instance";
  healthCheck: HealthCheck;
  deregistrationDelaySeconds: number;
  /** Health of every target in the group over time (timeline `targetGroup` entries). */
  health: ModeHistory;
  /**
   * Health of the application on one target id whenever it is registered (setup `targets[].health`): an EC2
   * instance whose application never answers the health checks stays unhealthy after each RegisterTargets.
   */
  targetApps: Map<string, ModeHistory>;
  targets: RegisteredTarget[];
}

export interface WeightedTargetGroup {
  targetGroupArn: string;
  weight: number;
}

/** A forward action as stored: the target groups with their weights (1 when given as a single TargetGroupArn). */
export interface ForwardAction {
  type: "forward";
  order?: number;
  targetGroups: WeightedTargetGroup[];
  stickiness: { enabled: boolean; durationSeconds?: number };
  /** A Weight was given (what a Network Load Balancer without weighted target groups refuses). */
  weighted?: boolean;
}

export interface Listener {
  arn: string;
  id: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  defaultActions: ForwardAction[];
}

export interface Rule {
  arn: string;
  listenerArn: string;
  /** "1".."50000" (the default rule is not stored: it is the listener's default actions). */
  priority: string;
  conditions: unknown[];
  actions: ForwardAction[];
}

/** A change of the target groups a listener or rule forwards to (API or timeline). */
export interface ForwardChange {
  atSeconds: number;
  /** `<load balancer>:<port>` or `<load balancer>:<port>:<priority>`. */
  resource: string;
  arn: string;
  /** Target group name -> weight. */
  weights: Record<string, number>;
  operation: string;
}

/** 16 hex digits derived from a name: ids are stable across runs, so scenarios can write ARNs down. */
export function hexId(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 16);
}
