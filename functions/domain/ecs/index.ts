/** ECS blue/green deployments: the pure model (target, lifecycle, task set plan, weights, readiness). */
export * from "./arns.js";
export * from "./blue-green.js";
export * from "./configs.js";
export * from "./lifecycle.js";
export * from "./readiness.js";
export * from "./target-groups.js";
export * from "./target.js";
export * from "./task-definition-ref.js";
export * from "./task-set-plan.js";
export * from "./weights.js";
export * from "./revision.js";
export * from "./release.js";
