/**
 * Systems Manager as an agentless EC2/on-premises deployment uses it: find the managed nodes, send one script to a
 * group of them (SSM Run Command), read each node's result. Implemented by adapters/ssm.ts.
 */
export interface ManagedNode {
  id: string;
  platform: string;
  /** PingStatus Online: the SSM agent answers. */
  online: boolean;
}

export type NodeCommandStatus = "Pending" | "InProgress" | "Delayed" | "Success" | "Failed" | "TimedOut" | "Cancelled" | "Cancelling";

export interface NodeCommandResult {
  instanceId: string;
  status: NodeCommandStatus;
  /** Success, Failed, TimedOut or Cancelled: the node will not change any more. */
  done: boolean;
  exitCode: number;
  /** SSM's StatusDetails, e.g. DeliveryTimedOut, ExecutionTimedOut. */
  details: string;
  output: string;
}

/** The most node ids one SendCommand takes (SSM API SendCommand `InstanceIds`). */
export const MAX_NODES_PER_COMMAND = 50;

export interface RunCommandPort {
  /** Managed nodes with every given tag (key -> any of the values), or with the given ids. */
  findNodes(query: { tags?: Record<string, string[]>; tagKeys?: string[]; instanceIds?: string[] }): Promise<ManagedNode[]>;
  /** Sends one script to at most 50 nodes; returns the command id. */
  send(request: { documentName: string; instanceIds: string[]; script: string; executionTimeoutSeconds: number; comment: string }): Promise<string>;
  /** One node's result with its output up to 24,000 characters (GetCommandInvocation). */
  result(commandId: string, instanceId: string): Promise<NodeCommandResult>;
  /** CancelCommand: every node's invocation of the command that has not ended is stopped (Cancelled). */
  cancel(commandId: string): Promise<void>;
  /** Every node's result of one command (ListCommandInvocations with details, 50 per page; output cut at 2,500 characters). */
  results(commandId: string): Promise<NodeCommandResult[]>;
}
