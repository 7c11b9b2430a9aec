/** How a simulated instance answers stepdeploy's install commands (setup `ssm.instances[].behaviour`). */
export interface InstanceBehaviour {
  /** Simulated seconds each lifecycle event takes (default 2). */
  eventSeconds: number;
  /** This event's first script exits with `exitCode` (default 1), for the revision whose bundle key is `bundleKey` (default any). */
  fail?: { event: string; exitCode: number; bundleKey?: string };
  /** This event's scripts never finish: the command ends at the event's script timeout (ScriptTimedOut) or SSM's executionTimeout. */
  hang?: { event: string; bundleKey?: string };
}

/** An SSM managed node: an EC2 instance with the agent (`i-...`) or an on-premises server (`mi-...`). */
export interface ManagedInstance {
  id: string;
  platform: "Linux" | "Windows";
  /** Online, or ConnectionLost: commands are accepted and never delivered (DeliveryTimedOut). */
  pingStatus: "Online" | "ConnectionLost";
  tags: Record<string, string>;
  behaviour: InstanceBehaviour;
  /** The deployment id whose revision last installed successfully (what the instance's deployment root records). */
  lastSuccessful?: string;
  /** Every deployment id that installed successfully, in order. */
  revisions: string[];
}

export type InvocationStatus = "Pending" | "InProgress" | "Success" | "Failed" | "TimedOut" | "Cancelled";

export interface Invocation {
  commandId: string;
  instanceId: string;
  documentName: string;
  requestedAtMs: number;
  startMs: number;
  endMs: number;
  /** Final status (reached at endMs). */
  status: Exclude<InvocationStatus, "Pending" | "InProgress">;
  statusDetails: string;
  responseCode: number;
  output: string;
  /** CancelCommand reached it before it ended (endMs moved to that moment; nothing is applied). */
  cancelled?: boolean;
  /** Applied when the invocation ends: the instance records this deployment as its last successful install. */
  records?: string;
  applied: boolean;
}

export interface Command {
  commandId: string;
  documentName: string;
  comment: string;
  requestedAtMs: number;
  instanceIds: string[];
  executionTimeoutSeconds: number;
  deliveryTimeoutSeconds: number;
  script: string;
}

export const DOCUMENTS = { "AWS-RunShellScript": "Linux", "AWS-RunPowerShellScript": "Windows" } as const;
