/** The few ASL building blocks every part of the compiler shares (JSONPath mode only). */
export type AslState = Record<string, unknown>;
export type AslStates = Record<string, AslState>;

/** Lambda's transient errors, retried as the Step Functions guide recommends (codepipeline-spec §5.6). */
export const LAMBDA_RETRY = {
  ErrorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
export const LAMBDA_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/** A Task that invokes one of stepdeploy's pipeline Lambdas with `payload`. */
export function invoke(functionName: unknown, payload: Record<string, unknown>, fields: AslState, callback = false): AslState {
  return {
    Type: "Task",
    Resource: callback ? LAMBDA_CALLBACK : LAMBDA_INVOKE,
    Parameters: { FunctionName: functionName, Payload: payload },
    ...fields,
    Retry: [LAMBDA_RETRY],
  };
}

export function catchAll(next: string, resultPath = "$.error"): { ErrorEquals: string[]; ResultPath: string; Next: string }[] {
  return [{ ErrorEquals: ["States.ALL"], ResultPath: resultPath, Next: next }];
}
