import { nowMs } from "./lib/clock.js";
import { deploymentLog } from "./lib/logger.js";
import type { CallbacksPort } from "./ports/callbacks.js";
import type { Clock, Log } from "./ports/clock.js";
import type { BundleStorePort } from "./ports/bundle-store.js";
import type { AlarmsPort, MetricsPort } from "./ports/cloudwatch.js";
import type { EcsServicePort } from "./ports/ecs-service.js";
import type { EventsPort } from "./ports/events.js";
import type { ExecutionsPort } from "./ports/executions.js";
import type { LambdaAliasPort } from "./ports/lambda-alias.js";
import type { LambdaCodePort } from "./ports/lambda-code.js";
import type { LambdaFunctionsPort } from "./ports/lambda-functions.js";
import type { LoadBalancerPort } from "./ports/load-balancer.js";
import type { RegistryPort } from "./ports/registry.js";
import type { StepFunctionsPort } from "./ports/step-functions.js";

/** Settings the stack gives its functions (serverless.yml environment). */
export interface StackConfig {
  /** `hookFunctionPattern`: the hooks the stack may invoke (IAM-style, function-name part). */
  hookFunctionPattern: string;
  /** The bake watcher state machine (alarm polling, metric gates). */
  bakeWatcherArn: string;
}

/** Everything a deployment handler may touch: one port per store or service, plus time, logs and settings. */
export interface Deps {
  registry: RegistryPort;
  callbacks: CallbacksPort;
  stepFunctions: StepFunctionsPort;
  lambda: LambdaAliasPort & LambdaFunctionsPort;
  alarms: AlarmsPort;
  metrics: MetricsPort;
  events: EventsPort;
  /** ECS blue/green: listeners, rules and target groups (ELBv2), and the service's task sets (ECS). */
  loadBalancer: LoadBalancerPort;
  ecs: EcsServicePort;
  /** Releases: function code uploads, revision bundles in S3, starting release executions once. */
  lambdaCode: LambdaCodePort;
  bundles: BundleStorePort;
  executions: ExecutionsPort;
  clock: Clock;
  /** A logger carrying the deployment id (and any other keys given, e.g. the release id) on every line. */
  log: (deploymentId?: string, keys?: Record<string, string>) => Log;
  config: StackConfig;
}

/**
 * A port whose adapter module is imported on first use and built for each call: a handler that never calls a
 * service never loads its SDK client, and every call reads the environment as it is then (endpoint, table,
 * region), as the SDK itself does; the clients behind are cached per endpoint (adapters/clients.ts).
 */
function onUse<T extends object>(build: () => Promise<T>): T {
  return new Proxy({} as T, {
    get: (_, method) =>
      // Not a promise: `then` is absent, so awaiting a port by mistake does not call anything.
      method === "then"
        ? undefined
        : async (...args: unknown[]) => {
        const port = (await build()) as Record<string | symbol, (...a: unknown[]) => unknown>;
        return port[method]?.(...args);
      },
  });
}

const clock: Clock = { nowMs };

/** The ONE place real adapters are wired. */
export function realDeps(): Deps {
  return {
    registry: onUse(async () => (await import("./adapters/dynamodb-registry.js")).createDynamoDbRegistry({ clock: () => new Date(clock.nowMs()) })),
    callbacks: onUse(async () => (await import("./adapters/dynamodb-callbacks.js")).createCallbacksAdapter()),
    stepFunctions: onUse(async () => (await import("./adapters/sfn.js")).createStepFunctionsAdapter()),
    lambda: onUse(async () => (await import("./adapters/lambda.js")).createLambdaAdapter()),
    alarms: onUse(async () => (await import("./adapters/cloudwatch.js")).createCloudWatchAdapter()),
    metrics: onUse(async () => (await import("./adapters/cloudwatch.js")).createCloudWatchAdapter()),
    events: onUse(async () => (await import("./adapters/eventbridge.js")).createEventsAdapter()),
    loadBalancer: onUse(async () => (await import("./adapters/elbv2.js")).createElbv2Adapter()),
    ecs: onUse(async () => (await import("./adapters/ecs.js")).createEcsAdapter()),
    lambdaCode: onUse(async () => (await import("./adapters/lambda.js")).createLambdaAdapter()),
    bundles: onUse(async () => (await import("./adapters/s3.js")).createBundleStoreAdapter()),
    executions: onUse(async () => (await import("./adapters/sfn.js")).createExecutionsAdapter()),
    clock,
    log: deploymentLog,
    config: {
      get hookFunctionPattern() {
        return process.env.HOOK_FUNCTION_PATTERN ?? "CodeDeployHook_*";
      },
      get bakeWatcherArn() {
        return process.env.BAKE_WATCHER_STATE_MACHINE_ARN ?? "";
      },
    },
  };
}

/** The registry alone, for callers outside the handlers (the operator CLI, the simulator's reports). */
export function registry(): RegistryPort {
  return realDeps().registry;
}
