/**
 * Step Functions, "Step Functions Execution Status Change" (Step Functions Developer Guide,
 * cw-events; project spec codepipeline-spec.md 4.6): source `aws.states`, resources [executionArn],
 * detail mirrors DescribeExecution with startDate/stopDate in epoch milliseconds, input/output as
 * JSON strings, `inputDetails`/`outputDetails` `{"included": true}`; `stopDate`, `output`,
 * `outputDetails` are null while RUNNING (and `output` null unless SUCCEEDED). `error`/`cause`
 * are included (null when absent), as LocalStack's AWS-validated emitter does; whether AWS always
 * sends both keys is unconfirmed. Only Standard workflows emit these events.
 */
export const EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";

/** What the Step Functions status change event needs to know about an execution. */
export interface ExecutionSnapshot {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startMs: number;
  stopMs?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** The `detail` of a "Step Functions Execution Status Change" event. */
export function executionStatusChangeDetail(e: ExecutionSnapshot): Record<string, unknown> {
  const output = e.status === "SUCCEEDED" && e.output !== undefined ? e.output : null;
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startMs,
    stopDate: e.stopMs ?? null,
    input: e.input,
    inputDetails: { included: true },
    output,
    outputDetails: output === null ? null : { included: true },
    error: e.error ?? null,
    cause: e.cause ?? null,
  };
}
