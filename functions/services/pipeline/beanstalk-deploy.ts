import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { BEANSTALK_POLL_SECONDS, bundleLocation, environmentVerdict, versionLabel } from "../../domain/pipeline/execution/elastic-beanstalk.js";
import type { ArtifactStorePort } from "../../ports/artifact-store.js";
import type { ElasticBeanstalkPort } from "../../ports/elastic-beanstalk.js";
import type { DeclaredAction } from "./actions.js";
import type { RunRequest } from "./run-action.js";

/**
 * The ElasticBeanstalk deploy action: the input artifact is copied to EB's storage bucket
 * (`elasticbeanstalk-<region>-<account>/<application>/<label>.zip`), made an application version, and
 * the environment updated to it (pipelineRunAction); pipelinePollAction then looks at the environment
 * until it is Ready: success on the new version, failure with the environment's first ERROR event
 * (or its Red health).
 */
export interface BeanstalkDeployDeps {
  artifacts: ArtifactStorePort;
  elasticBeanstalk: ElasticBeanstalkPort;
  clock: { nowMs(): number };
  config: { region: string; account: string };
}

export interface BeanstalkState {
  kind: "elasticbeanstalk";
  application: string;
  environment: string;
  label: string;
  sinceMs: number;
  deadlineMs: number;
  variables: Record<string, string>;
  summary: string;
}

export interface BeanstalkAnswer {
  done: boolean;
  nextPollSeconds: number;
  state: BeanstalkState;
}

const fail = (action: DeclaredAction, message: string) => new PipelineError(PipelineErrorNames.ActionFailed, `${action.stage}.${action.name}: ${message}`);

export async function startBeanstalkDeploy(deps: BeanstalkDeployDeps, action: DeclaredAction, request: RunRequest): Promise<BeanstalkAnswer> {
  const application = request.configuration["ApplicationName"] ?? "";
  const environment = request.configuration["EnvironmentName"] ?? "";
  const input = request.inputs[0];
  if (!input) throw fail(action, "the ElasticBeanstalk deploy action needs one input artifact");
  const sinceMs = deps.clock.nowMs();
  // Checked before anything is made: the environment exists, is of that application and is not busy.
  const before = await deps.elasticBeanstalk.describeEnvironment(application, environment);
  if (!before) throw fail(action, `application ${application} has no environment ${environment}`);
  if (before.status !== "Ready") throw fail(action, `environment ${environment} is ${before.status}; it must be Ready to deploy`);
  const label = versionLabel(input);
  const bundle = bundleLocation(deps.config.region, deps.config.account, application, label);
  await deps.artifacts.copyObject(input, bundle);
  await deps.elasticBeanstalk.createApplicationVersion(application, label, bundle, `${action.stage}.${action.name}: ${input.name}`);
  await deps.elasticBeanstalk.updateEnvironment(application, environment, label);
  const state: BeanstalkState = { kind: "elasticbeanstalk", application, environment, label, sinceMs, deadlineMs: request.deadlineMs ?? sinceMs + 3_600_000, variables: {}, summary: `${application}/${environment} to ${label}` };
  return { done: false, nextPollSeconds: BEANSTALK_POLL_SECONDS, state };
}

export async function pollBeanstalkDeploy(deps: BeanstalkDeployDeps, action: DeclaredAction, state: BeanstalkState): Promise<BeanstalkAnswer> {
  const env = await deps.elasticBeanstalk.describeEnvironment(state.application, state.environment);
  const settled = env && env.status !== "Updating" && env.status !== "Launching";
  const events = settled ? await deps.elasticBeanstalk.events(state.application, state.environment, state.sinceMs) : [];
  const now = deps.clock.nowMs();
  const verdict = environmentVerdict(env, state.label, events, now, state.deadlineMs);
  if (verdict.kind === "failed") throw fail(action, `${verdict.reason} (${state.summary})`);
  if (verdict.kind === "succeeded") return { done: true, nextPollSeconds: 0, state: { ...state, summary: verdict.summary } };
  return { done: false, nextPollSeconds: Math.max(1, Math.min(BEANSTALK_POLL_SECONDS, Math.ceil((state.deadlineMs - now) / 1000))), state };
}
