import type { ExecutionsPort } from "../../../functions/ports/executions.js";

/** Executions in memory: a name starts once; its input is kept for the test to read. */
export class FakeExecutions implements ExecutionsPort {
  readonly started = new Map<string, { stateMachineArn: string; input: unknown }>();

  async startOnce(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string; alreadyExisted: boolean }> {
    const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
    if (this.started.has(executionArn)) return { executionArn, alreadyExisted: true };
    this.started.set(executionArn, { stateMachineArn, input });
    return { executionArn, alreadyExisted: false };
  }
}
