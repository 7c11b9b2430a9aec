import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { StepFunctionsPort } from "../ports/step-functions.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";
import type { ExecutionsPort } from "../ports/executions.js";

export const sfnClient = (): SFNClient => cachedClient("sfn", (options) => new SFNClient(options));

export function createStepFunctionsAdapter(): StepFunctionsPort {
  return {
    sendTaskSuccess: (token, output) => sendTaskSuccess(token, output),
    sendTaskFailure: (token, error, cause) => sendTaskFailure(token, error, cause),
    startExecution: (arn, name, input) => startExecution(arn, name, input),
  };
}

/** A token that has expired or was already answered: the waiting task has moved on. */
const STALE = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** Answers a waiting task. Returns false when the token is stale (already answered or timed out). */
export async function sendTaskSuccess(token: string, output: unknown, client = sfnClient()): Promise<boolean> {
  try {
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? {}) }));
    return true;
  } catch (e) {
    if (STALE.has((e as Error).name)) return false;
    throw toStepDeployError(e, "SendTaskSuccess");
  }
}

export async function sendTaskFailure(token: string, error: string, cause: string, client = sfnClient()): Promise<boolean> {
  try {
    await client.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 32768) }));
    return true;
  } catch (e) {
    if (STALE.has((e as Error).name)) return false;
    throw toStepDeployError(e, "SendTaskFailure");
  }
}

export async function startExecution(stateMachineArn: string, name: string, input: unknown, client = sfnClient()): Promise<{ executionArn: string }> {
  try {
    const out = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { executionArn: out.executionArn ?? "" };
  } catch (e) {
    throw toStepDeployError(e, "StartExecution");
  }
}

/**
 * Starts an execution once per name. A name already used is "already started": DescribeExecution
 * finds it first (so logs can say "duplicate"); two deliveries racing past that check still start one
 * execution, because StartExecution with the name and input of a running Standard execution answers
 * that execution, and a closed one (or another input) gives ExecutionAlreadyExists.
 */
export async function startExecutionOnce(stateMachineArn: string, name: string, input: unknown, client = sfnClient()): Promise<{ executionArn: string; alreadyExisted: boolean }> {
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  try {
    await client.send(new DescribeExecutionCommand({ executionArn }));
    return { executionArn, alreadyExisted: true };
  } catch (e) {
    if ((e as Error).name !== "ExecutionDoesNotExist") throw toStepDeployError(e, "DescribeExecution");
  }
  try {
    const out = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { executionArn: out.executionArn ?? executionArn, alreadyExisted: false };
  } catch (e) {
    if ((e as Error).name === "ExecutionAlreadyExists") return { executionArn, alreadyExisted: true };
    throw toStepDeployError(e, "StartExecution");
  }
}

export async function describeExecution(executionArn: string, client = sfnClient()) {
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (e) {
    throw toStepDeployError(e, "DescribeExecution");
  }
}

export async function stopExecution(executionArn: string, error: string, cause: string, client = sfnClient()): Promise<void> {
  try {
    await client.send(new StopExecutionCommand({ executionArn, error, cause }));
  } catch (e) {
    throw toStepDeployError(e, "StopExecution");
  }
}

export async function listExecutions(stateMachineArn: string, client = sfnClient()) {
  try {
    return (await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }))).executions ?? [];
  } catch (e) {
    throw toStepDeployError(e, "ListExecutions");
  }
}

export function createExecutionsAdapter(client?: SFNClient): ExecutionsPort {
  return { startOnce: (stateMachineArn, name, input) => startExecutionOnce(stateMachineArn, name, input, client) };
}
