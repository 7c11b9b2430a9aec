/** Lambda functions other than the target alias: versions that must exist, hooks to invoke. */
export interface LambdaFunctionsPort {
  /** Throws `Deploy.ResourceNotFound` when the function (or that version) does not exist. */
  getFunctionVersion(functionName: string, qualifier?: string): Promise<{ version: string; functionArn: string }>;
  /** Synchronous invoke: the function error marker and the payload text. */
  invoke(functionName: string, payload: unknown): Promise<{ functionError?: string; payload: string }>;
}
