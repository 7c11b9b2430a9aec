/**
 * What the pipeline services ask of Step Functions: answer a waiting task (a stage entrance, an
 * approval). Structurally the answering half of the deployment engine's StepFunctionsPort, so one
 * adapter serves both.
 */
export interface TaskAnswersPort {
  /** False when the token is stale (the task already ended or timed out). */
  sendTaskSuccess(token: string, output: unknown): Promise<boolean>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<boolean>;
}
