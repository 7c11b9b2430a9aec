/**
 * CloudFormation as a pipeline's CloudFormation deploy action uses it: stacks and change sets by
 * name. A stack that does not exist is `undefined`, never an error; "No updates are to be
 * performed." is an answer (`noUpdates`), not an error; every other refusal is an error naming
 * CloudFormation's error and message.
 */
export interface StackView {
  stackId: string;
  name: string;
  status: string;
  statusReason?: string;
  outputs: Record<string, string>;
}

export interface ChangeSetView {
  id: string;
  status: string;
  executionStatus: string;
  statusReason?: string;
  changes: number;
}

export interface StackEventView {
  logicalResourceId: string;
  resourceType: string;
  resourceStatus: string;
  reason?: string;
  timestamp: number;
  /** The ClientRequestToken of the operation that made the event. */
  clientRequestToken?: string;
}

export interface StackInput {
  stackName: string;
  /** Exactly one of templateBody (at most 51,200 bytes) and templateUrl (an S3 object). */
  templateBody?: string;
  templateUrl?: string;
  parameters: Record<string, string>;
  capabilities: string[];
  roleArn?: string;
  tags?: Record<string, string>;
  /** CreateStack/UpdateStack's ClientRequestToken: a retried request with it starts no second operation. */
  clientRequestToken?: string;
}

export interface CloudFormationPort {
  describeStack(name: string): Promise<StackView | undefined>;
  createStack(input: StackInput): Promise<{ stackId: string }>;
  updateStack(input: StackInput): Promise<{ stackId?: string; noUpdates: boolean }>;
  deleteStack(name: string, roleArn?: string, clientRequestToken?: string): Promise<void>;
  describeChangeSet(stackName: string, changeSetName: string): Promise<ChangeSetView | undefined>;
  createChangeSet(input: StackInput & { changeSetName: string; changeSetType: "CREATE" | "UPDATE" }): Promise<{ id: string }>;
  executeChangeSet(stackName: string, changeSetName: string, clientRequestToken?: string): Promise<void>;
  deleteChangeSet(stackName: string, changeSetName: string): Promise<void>;
  /** The stack's events, newest first (one page: enough to find the failure of the last operation). */
  stackEvents(stackIdOrName: string): Promise<StackEventView[]>;
}
