import { chooseEndpoint } from "../endpoint.js";
import { UsageError } from "../io.js";

/**
 * Where the operator CLI finds the stack: the deploy-lambda state machine ARN and the registry
 * table. Flags win, then environment (STEPDEPLOY_STATE_MACHINE_ARN, STEPDEPLOY_TABLE), then names
 * derived from --stage like `osls deploy` creates them.
 */
export interface StackConfig {
  stateMachineArn: string;
  table: string;
}

export function stackConfig(flags: { stage?: string; "state-machine-arn"?: string; table?: string }, env: NodeJS.ProcessEnv): StackConfig {
  const stage = flags.stage ?? env.STEPDEPLOY_STAGE ?? "dev";
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const account = env.AWS_ACCOUNT_ID ?? "000000000000";
  return {
    stateMachineArn: flags["state-machine-arn"] ?? env.STEPDEPLOY_STATE_MACHINE_ARN ?? `arn:aws:states:${region}:${account}:stateMachine:stepdeploy-${stage}-deploy-lambda`,
    table: flags.table ?? env.STEPDEPLOY_TABLE ?? `stepdeploy-${stage}-registry`,
  };
}

export const STACK_OPTIONS = {
  stage: { type: "string" },
  "state-machine-arn": { type: "string" },
  table: { type: "string" },
  endpoint: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Applies --endpoint and the table to the process environment, which the SDK adapters read. */
export function applyStackEnv(flags: { endpoint?: string }, cfg: StackConfig): void {
  const { endpoint, problem } = chooseEndpoint(flags.endpoint, process.env);
  if (problem) throw new UsageError(problem);
  if (endpoint) process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.STEPDEPLOY_TABLE = cfg.table;
}
