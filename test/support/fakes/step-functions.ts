import type { StepFunctionsPort } from "../../../functions/ports/step-functions.js";

export type TaskAnswer = { token: string; ok: true; output: unknown } | { token: string; ok: false; error: string; cause: string };

/** Records every answer and start; tokens in `stale` answer false, as Step Functions does for an ended task. */
export class FakeStepFunctions implements StepFunctionsPort {
  readonly answers: TaskAnswer[] = [];
  readonly started: { stateMachineArn: string; name: string; input: unknown }[] = [];
  readonly stale = new Set<string>();

  async sendTaskSuccess(token: string, output: unknown) {
    if (this.stale.has(token)) return false;
    this.answers.push({ token, ok: true, output: structuredClone(output) });
    this.stale.add(token);
    return true;
  }
  async sendTaskFailure(token: string, error: string, cause: string) {
    if (this.stale.has(token)) return false;
    this.answers.push({ token, ok: false, error, cause });
    this.stale.add(token);
    return true;
  }
  async startExecution(stateMachineArn: string, name: string, input: unknown) {
    this.started.push({ stateMachineArn, name, input: structuredClone(input) });
    return { executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}` };
  }
  answerTo(token: string): TaskAnswer | undefined {
    return this.answers.find((a) => a.token === token);
  }
}
