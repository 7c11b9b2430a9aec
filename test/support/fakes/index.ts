import type { Log } from "../../../functions/ports/clock.js";
import type { Deps } from "../../../functions/wiring.js";
import { FakeBundleStore } from "./bundle-store.js";
import { FakeCallbacks } from "./callbacks.js";
import { FakeCloudWatch } from "./cloudwatch.js";
import { FakeEcsService } from "./ecs-service.js";
import { FakeEvents } from "./events.js";
import { FakeExecutions } from "./executions.js";
import { FakeLambda } from "./lambda.js";
import { FakeLambdaCode } from "./lambda-code.js";
import { FakeLoadBalancer } from "./load-balancer.js";
import { fakeRegistry, type InMemoryRegistryStore } from "./registry.js";
import { FakeStepFunctions } from "./step-functions.js";

export const WATCHER_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-test-bake-watcher";

/** Every port in memory, a manual clock and captured logs: what handler tests run on. */
export interface FakeWorld {
  deps: Deps;
  store: InMemoryRegistryStore;
  callbacks: FakeCallbacks;
  sfn: FakeStepFunctions;
  lambda: FakeLambda;
  cloudwatch: FakeCloudWatch;
  events: FakeEvents;
  logs: { level: string; message: string; deploymentId?: string; extra?: Record<string, unknown> }[];
  /** Moves the clock (ms since the start, 2026-01-01). */
  advance(seconds: number): void;
}

export function fakeWorld(config: Partial<Deps["config"]> = {}): FakeWorld {
  let now = Date.parse("2026-01-01T00:00:00.000Z");
  const clock = { nowMs: () => now };
  const { registry, store } = fakeRegistry(clock.nowMs);
  const callbacks = new FakeCallbacks();
  const sfn = new FakeStepFunctions();
  const lambda = new FakeLambda();
  const cloudwatch = new FakeCloudWatch();
  const events = new FakeEvents();
  const logs: FakeWorld["logs"] = [];
  const log = (deploymentId?: string): Log => ({
    info: (message, extra) => logs.push({ level: "info", message, deploymentId, extra }),
    warn: (message, extra) => logs.push({ level: "warn", message, deploymentId, extra }),
    error: (message, extra) => logs.push({ level: "error", message, deploymentId, extra }),
  });
  const deps: Deps = {
    registry,
    callbacks,
    stepFunctions: sfn,
    lambda,
    alarms: cloudwatch,
    metrics: cloudwatch,
    events,
    loadBalancer: new FakeLoadBalancer(),
    ecs: new FakeEcsService(),
    lambdaCode: new FakeLambdaCode(),
    bundles: new FakeBundleStore(),
    executions: new FakeExecutions(),
    clock,
    log,
    config: { hookFunctionPattern: "CodeDeployHook_*", bakeWatcherArn: WATCHER_ARN, ...config },
  };
  return {
    deps,
    store,
    callbacks,
    sfn,
    lambda,
    cloudwatch,
    events,
    logs,
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}
