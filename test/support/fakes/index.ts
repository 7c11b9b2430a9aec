import { EMPTY_GROUPS } from "../../../functions/domain/groups/groups.js";
import type { Log } from "../../../functions/ports/clock.js";
import type { Deps } from "../../../functions/wiring.js";
import { FakeBundleStore } from "./bundle-store.js";
import { FakeTopics } from "./topics.js";
import { FakeCallbacks } from "./callbacks.js";
import { unfakedClassicLoadBalancer, unfakedCloudFormation, unfakedElasticBeanstalk } from "./unfaked.js";
import { FakeCloudWatch } from "./cloudwatch.js";
import { FakeEcsService } from "./ecs-service.js";
import { FakeEvents } from "./events.js";
import { FakeExecutions } from "./executions.js";
import { FakeLambda } from "./lambda.js";
import { FakeLambdaCode } from "./lambda-code.js";
import { FakeAutoScaling, FakeInstances } from "./instances.js";
import { FakeLoadBalancer } from "./load-balancer.js";
import { fakeRegistry, type InMemoryRegistryStore } from "./registry.js";
import { FakeRunCommand } from "./run-command.js";
import { FakeSecrets } from "./secrets.js";
import { FakeStepFunctions } from "./step-functions.js";
import { FakeArtifactStore } from "./artifact-store.js";
import { FakeNotifications } from "./notifications.js";
import { FakePipelineEvents } from "./pipeline-events.js";
import { FakePipelineRegistry } from "./pipeline-registry.js";

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
  pipelines: FakePipelineRegistry;
  pipelineEvents: FakePipelineEvents;
  notifications: FakeNotifications;
  artifacts: FakeArtifactStore;
  secrets: FakeSecrets;
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
  const pipelines = new FakePipelineRegistry();
  const pipelineEvents = new FakePipelineEvents();
  const notifications = new FakeNotifications();
  const artifacts = new FakeArtifactStore();
  const secrets = new FakeSecrets();
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
    classicLoadBalancer: unfakedClassicLoadBalancer(),
    ecs: new FakeEcsService(),
    cloudformation: unfakedCloudFormation(),
    elasticBeanstalk: unfakedElasticBeanstalk(),
    lambdaCode: new FakeLambdaCode(),
    bundles: new FakeBundleStore(),
    executions: new FakeExecutions(),
    pipelines,
    pipelineEvents,
    notifications,
    artifacts,
    runCommand: new FakeRunCommand(),
    instances: new FakeInstances(),
    autoScaling: new FakeAutoScaling(),
    topics: new FakeTopics(),
    secrets,
    clock,
    log,
    config: { hookFunctionPattern: "CodeDeployHook_*", bakeWatcherArn: WATCHER_ARN, pipeline: { region: "us-east-1", account: "123456789012", gitFetchProject: "stepdeploy-test-git-fetch", stateMachineArnPrefix: "arn:aws:states:us-east-1:123456789012:stateMachine:", triggers: [], webhookSecretParameter: "stepdeploy-test-git-webhook-secret", pipelines: [] }, groups: EMPTY_GROUPS, ...config },
  };
  return {
    deps,
    store,
    callbacks,
    sfn,
    lambda,
    cloudwatch,
    events,
    pipelines,
    pipelineEvents,
    notifications,
    artifacts,
    secrets,
    logs,
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}
