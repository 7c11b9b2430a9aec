import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const sfnClient = (): SFNClient => cachedClient("sfn", () => new SFNClient({}));

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
