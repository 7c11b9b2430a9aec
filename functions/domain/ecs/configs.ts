import { resolveConfig } from "../configs/index.js";
import type { ResolvedConfig } from "../configs/types.js";
import { ErrorNames, ValidationError } from "../errors.js";

/**
 * The deployment configs an ECS deployment takes: the five `CodeDeployDefault.ECS*` configs (exact timing
 * from functions/domain/configs, as for Lambda), custom configs in CodeDeploy's shape, and step lists.
 * A Lambda config, or a custom config that says `computePlatform: Lambda`, is refused naming the ECS
 * equivalents (CodeDeploy: InvalidDeploymentConfigNameException / InvalidComputePlatformException). The
 * default is `CodeDeployDefault.ECSAllAtOnce` (the CDK's default for ECS groups; codedeploy-spec §1.1).
 *
 * Network Load Balancers: CodeDeploy long allowed only ECSAllAtOnce with them (codedeploy-spec §1.4,
 * secondary source), because ELBv2 refused weighted target groups on them. ELBv2 accepts them since
 * November 2025, so every config works on both load balancer types; where an endpoint still refuses
 * weights, the router reports `Deploy.UnsupportedTrafficConfig` naming the config and the type.
 */
export const DEFAULT_ECS_CONFIG = "CodeDeployDefault.ECSAllAtOnce";

export function resolveEcsConfig(config: unknown): ResolvedConfig {
  const resolved = resolveConfig(config ?? DEFAULT_ECS_CONFIG);
  if (resolved.computePlatform === "Lambda") {
    const name = typeof config === "string" ? config : "the config";
    throw new ValidationError(
      "deploymentConfig",
      `${name} is a Lambda config; an ECS deployment takes CodeDeployDefault.ECSAllAtOnce, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, a custom config or a step list`,
      ErrorNames.InvalidConfig,
    );
  }
  return resolved;
}

/** The weights the production route takes, in order (the last is 100), and how long each holds. */
export function weightSteps(resolved: ResolvedConfig): { weight: number; bakeSeconds: number }[] {
  const steps = resolved.schedule.steps;
  return steps.map((s, i) => ({ weight: s.weight, bakeSeconds: (steps[i + 1]?.atSeconds ?? s.atSeconds) - s.atSeconds }));
}
