/**
 * The error names ECS deployments add to the catalogue (functions/domain/errors.ts aggregates them).
 * Each is thrown by an ECS handler and matched by the ECS deploy graph's Catch.
 */
export const EcsErrorNames = {
  /** The replacement task set did not become stable with every target healthy before the install timeout. */
  ReplacementUnhealthy: "Deploy.ReplacementUnhealthy",
  /** The load balancer refuses what the deployment config needs (weights on a Network Load Balancer without weighted target groups). */
  UnsupportedTrafficConfig: "Deploy.UnsupportedTrafficConfig",
  /** STOP_DEPLOYMENT: nobody continued the deployment within the ready wait (CodeDeploy marks it Stopped). */
  ReadyWaitExpired: "Deploy.ReadyWaitExpired",
  /** The service or its listeners are not in a state a blue/green deployment can start from (split traffic, a leftover task set). */
  TargetNotReady: "Deploy.TargetNotReady",
} as const;

export type EcsErrorName = (typeof EcsErrorNames)[keyof typeof EcsErrorNames];
