/** Starting and finding Step Functions executions. */
export interface ExecutionsPort {
  /**
   * Starts the execution `name` once: if an execution of that name exists already (a duplicate
   * delivery of the same event), it is returned with `alreadyExisted` and nothing new starts.
   */
  startOnce(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string; alreadyExisted: boolean }>;
}
