import { StepDeployError } from "../errors.js";

/**
 * Error names of the pipeline workflows, defined once. The compiled state machines match them in
 * Retry/Catch; handlers throw them. `Pipeline.ActionFailed` is what a failed action turns into
 * inside its branch; `Pipeline.StageFailed` ends an execution whose stage failed.
 */
export const PipelineErrorNames = {
  InvalidDefinition: "Pipeline.InvalidDefinition",
  InvalidStart: "Pipeline.InvalidStart",
  StageNotRetryable: "Pipeline.StageNotRetryable",
  ActionFailed: "Pipeline.ActionFailed",
  StageFailed: "Pipeline.StageFailed",
  Superseded: "Pipeline.Superseded",
  Stopped: "Pipeline.Stopped",
  ApprovalRejected: "Pipeline.ApprovalRejected",
  UnresolvedVariable: "Pipeline.UnresolvedVariable",
} as const;

export type PipelineErrorName = (typeof PipelineErrorNames)[keyof typeof PipelineErrorNames];

export class PipelineError extends StepDeployError {
  constructor(name: PipelineErrorName, message: string, options?: { cause?: unknown }) {
    super(name, message, options);
  }
}
