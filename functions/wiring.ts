import { stageGroups } from "./lib/groups-config.js";
import { nowMs } from "./lib/clock.js";
import { deploymentLog } from "./lib/logger.js";
import type { Groups } from "./domain/groups/groups.js";
import type { CallbacksPort } from "./ports/callbacks.js";
import type { Clock, Log } from "./ports/clock.js";
import type { BundleStorePort } from "./ports/bundle-store.js";
import type { AlarmsPort, MetricsPort } from "./ports/cloudwatch.js";
import type { CloudFormationPort } from "./ports/cloudformation.js";
import type { EcsServicePort } from "./ports/ecs-service.js";
import type { ElasticBeanstalkPort } from "./ports/elastic-beanstalk.js";
import type { EventsPort } from "./ports/events.js";
import type { ExecutionsPort } from "./ports/executions.js";
import type { LambdaAliasPort } from "./ports/lambda-alias.js";
import type { LambdaCodePort } from "./ports/lambda-code.js";
import type { LambdaFunctionsPort } from "./ports/lambda-functions.js";
import type { AutoScalingPort, Ec2InstancesPort } from "./ports/instances.js";
import type { ClassicLoadBalancerPort } from "./ports/classic-load-balancer.js";
import type { LoadBalancerPort } from "./ports/load-balancer.js";
import type { RegistryPort } from "./ports/registry.js";
import type { RunCommandPort } from "./ports/run-command.js";
import type { SecretsPort } from "./ports/secrets.js";
import type { StepFunctionsPort } from "./ports/step-functions.js";
import type { ArtifactStorePort } from "./ports/artifact-store.js";
import type { PipelineEventsPort } from "./ports/pipeline-events.js";
import type { NotificationsPort } from "./ports/pipeline-notifications.js";
import type { PipelineRegistryPort } from "./ports/pipeline-registry.js";
import type { PipelineTrigger } from "./domain/pipeline/stack/triggers.js";
import type { ExecutionMode } from "./domain/pipeline/types.js";
import type { TopicsPort } from "./ports/topics.js";

/** Settings the stack gives its functions (serverless.yml environment). */
export interface StackConfig {
  /** `hookFunctionPattern`: the hooks the stack may invoke (IAM-style, function-name part). */
  hookFunctionPattern: string;
  /** The bake watcher state machine (alarm polling, metric gates). */
  bakeWatcherArn: string;
  /** Pipelines: the stack's region and account (events, approval links, job events), its git-fetch CodeBuild project, and its pipelines (config/pipelines.cjs). */
  pipeline: PipelineStackConfig;
  /** The stage's applications and deployment groups (config/groups.<stage>.yml, as DEPLOYMENT_GROUPS). */
  groups: Groups;
}

export interface PipelineStackConfig {
  region: string;
  account: string;
  gitFetchProject: string;
  /** `arn:<partition>:states:<region>:<account>:stateMachine:`: a pipeline's state machine ARN is this and its name. */
  stateMachineArnPrefix: string;
  /** The sources that start pipelines. */
  triggers: PipelineTrigger[];
  /** The SSM parameter holding the git webhook's shared secret. */
  webhookSecretParameter: string;
  /** The stack's pipelines: state machine name, stages and execution mode (the janitor's view). */
  pipelines: { pipeline: string; stateMachine: string; stages: string[]; executionMode: ExecutionMode }[];
}

const json = <T>(text: string | undefined, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

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
  /** EC2/on-premises behind Classic Load Balancers (a group's elbInfoList). */
  classicLoadBalancer: ClassicLoadBalancerPort;
  ecs: EcsServicePort;
  /** Pipelines' CloudFormation deploy actions: stacks and change sets. */
  cloudformation: CloudFormationPort;
  /** Pipelines' Elastic Beanstalk deploy actions: application versions and environment updates. */
  elasticBeanstalk: ElasticBeanstalkPort;
  /** Releases: function code uploads, revision bundles in S3, starting release executions once. */
  lambdaCode: LambdaCodePort;
  bundles: BundleStorePort;
  executions: ExecutionsPort;
  /** Pipelines: executions and stage gates, their state-change events, approval notifications (SNS), artifacts in S3. */
  pipelines: PipelineRegistryPort;
  pipelineEvents: PipelineEventsPort;
  notifications: NotificationsPort;
  artifacts: ArtifactStorePort;
  /** EC2/on-premises instances through SSM Run Command. */
  runCommand: RunCommandPort;
  /** EC2 blue/green: the original and replacement instances (EC2), a copied Auto Scaling group. */
  instances: Ec2InstancesPort;
  autoScaling: AutoScalingPort;
  /** SNS topics of the groups' triggers. */
  topics: TopicsPort;
  /** The git webhook's shared secret (SSM Parameter Store). */
  secrets: SecretsPort;
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

/**
 * Each adapter module's import, made once: `import()` of a module already loaded still resolves its specifier
 * every time (through the loader's hooks where there are some: a round trip to tsx's loader thread, about a
 * third of a simulated deployment's wall time when every port call paid it). A failed import is tried again.
 */
function once<M>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
}

const adapters = {
  registry: once(() => import("./adapters/dynamodb-registry.js")),
  callbacks: once(() => import("./adapters/dynamodb-callbacks.js")),
  sfn: once(() => import("./adapters/sfn.js")),
  lambda: once(() => import("./adapters/lambda.js")),
  cloudwatch: once(() => import("./adapters/cloudwatch.js")),
  eventbridge: once(() => import("./adapters/eventbridge.js")),
  elbv2: once(() => import("./adapters/elbv2.js")),
  elb: once(() => import("./adapters/elb.js")),
  ecs: once(() => import("./adapters/ecs.js")),
  cloudformation: once(() => import("./adapters/cloudformation.js")),
  elasticBeanstalk: once(() => import("./adapters/elastic-beanstalk.js")),
  s3: once(() => import("./adapters/s3.js")),
  pipelines: once(() => import("./adapters/dynamodb-pipelines.js")),
  pipelineEvents: once(() => import("./adapters/eventbridge-pipelines.js")),
  sns: once(() => import("./adapters/sns.js")),
  artifacts: once(() => import("./adapters/s3-artifacts.js")),
  ssm: once(() => import("./adapters/ssm.js")),
  ssmParameters: once(() => import("./adapters/ssm-parameters.js")),
  ec2: once(() => import("./adapters/ec2.js")),
  autoScaling: once(() => import("./adapters/auto-scaling.js")),
};

const clock: Clock = { nowMs };

/** The ONE place real adapters are wired. */
export function realDeps(): Deps {
  return {
    registry: onUse(async () => (await adapters.registry()).createDynamoDbRegistry({ clock: () => new Date(clock.nowMs()) })),
    callbacks: onUse(async () => (await adapters.callbacks()).createCallbacksAdapter()),
    stepFunctions: onUse(async () => (await adapters.sfn()).createStepFunctionsAdapter()),
    lambda: onUse(async () => (await adapters.lambda()).createLambdaAdapter()),
    alarms: onUse(async () => (await adapters.cloudwatch()).createCloudWatchAdapter()),
    metrics: onUse(async () => (await adapters.cloudwatch()).createCloudWatchAdapter()),
    events: onUse(async () => (await adapters.eventbridge()).createEventsAdapter()),
    loadBalancer: onUse(async () => (await adapters.elbv2()).createElbv2Adapter()),
    classicLoadBalancer: onUse(async () => (await adapters.elb()).createElbAdapter()),
    ecs: onUse(async () => (await adapters.ecs()).createEcsAdapter()),
    cloudformation: onUse(async () => (await adapters.cloudformation()).createCloudFormationAdapter()),
    elasticBeanstalk: onUse(async () => (await adapters.elasticBeanstalk()).createElasticBeanstalkAdapter()),
    lambdaCode: onUse(async () => (await adapters.lambda()).createLambdaAdapter()),
    bundles: onUse(async () => (await adapters.s3()).createBundleStoreAdapter()),
    executions: onUse(async () => (await adapters.sfn()).createExecutionsAdapter()),
    pipelines: onUse(async () => (await adapters.pipelines()).createDynamoDbPipelineRegistry()),
    pipelineEvents: onUse(async () => (await adapters.pipelineEvents()).createPipelineEventsAdapter()),
    notifications: onUse(async () => (await adapters.sns()).createSnsAdapter()),
    artifacts: onUse(async () => (await adapters.artifacts()).createArtifactStoreAdapter()),
    runCommand: onUse(async () => (await adapters.ssm()).createSsmAdapter()),
    instances: onUse(async () => (await adapters.ec2()).createEc2Adapter()),
    autoScaling: onUse(async () => (await adapters.autoScaling()).createAutoScalingAdapter()),
    topics: onUse(async () => (await adapters.sns()).createSnsAdapter()),
    secrets: onUse(async () => (await adapters.ssmParameters()).createParameterSecretsAdapter()),
    clock,
    log: deploymentLog,
    config: {
      get hookFunctionPattern() {
        return process.env.HOOK_FUNCTION_PATTERN ?? "CodeDeployHook_*";
      },
      get bakeWatcherArn() {
        return process.env.BAKE_WATCHER_STATE_MACHINE_ARN ?? "";
      },
      get pipeline() {
        // AWS_REGION is set by Lambda; the account and project come from the stack (serverless.yml).
        const env = process.env;
        return {
          region: env.AWS_REGION ?? "us-east-1",
          account: env.STEPDEPLOY_ACCOUNT_ID ?? "",
          gitFetchProject: env.GIT_FETCH_PROJECT ?? "",
          stateMachineArnPrefix: env.STATE_MACHINE_ARN_PREFIX ?? "",
          triggers: json(env.PIPELINE_TRIGGERS, []),
          webhookSecretParameter: env.GIT_WEBHOOK_SECRET_PARAMETER ?? "",
          pipelines: json(env.PIPELINES, []),
        };
      },
      get groups() {
        return stageGroups(process.env.DEPLOYMENT_GROUPS);
      },
    },
  };
}

/** The registry alone, for callers outside the handlers (the operator CLI, the simulator's reports). */
export function registry(): RegistryPort {
  return realDeps().registry;
}
