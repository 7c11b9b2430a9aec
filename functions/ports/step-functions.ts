/** What the deployment handlers ask of Step Functions: answer waiting tasks, start the bake watcher. */
export interface StepFunctionsPort {
  /** False when the token is stale (the task already ended or timed out). */
  sendTaskSuccess(token: string, output: unknown): Promise<boolean>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<boolean>;
  /** Starts an execution; the same name and input again answers the running one (Standard workflows). */
  startExecution(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string }>;
}
