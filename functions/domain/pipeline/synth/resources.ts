/**
 * What a compiled pipeline calls besides AWS's own APIs: stepdeploy's pipeline Lambdas and the
 * deployment state machine a CodeDeploy action starts. By default these are CloudFormation
 * references in the form the repository's other state machines use (`Fn::GetAtt` of the function's
 * logical id, `Ref` of the state machine), which serverless-step-functions turns into ARNs at
 * package time and the local runtime resolves from serverless.yml. A caller may pass ARNs instead.
 */
export const PIPELINE_FUNCTIONS = [
  "pipelineStart",
  "pipelineEnterStage",
  "pipelineLeaveStage",
  "pipelineStageFailed",
  "pipelineActionStart",
  "pipelineActionEnd",
  "pipelineApproval",
  "pipelineRunAction",
  "pipelinePollAction",
  "pipelineFinish",
] as const;
export type PipelineFunction = (typeof PIPELINE_FUNCTIONS)[number];

export interface PipelineResources {
  /** The `FunctionName` value for each pipeline Lambda (an ARN string or a CloudFormation intrinsic). */
  functions: Record<PipelineFunction, unknown>;
  /** The stepdeploy deployment state machine a CodeDeploy action starts (`states:startExecution.sync:2`). */
  deployStateMachine: unknown;
}

function logicalId(fn: string): string {
  return `${fn.charAt(0).toUpperCase()}${fn.slice(1)}LambdaFunction`;
}

export function defaultResources(): PipelineResources {
  const functions = Object.fromEntries(PIPELINE_FUNCTIONS.map((fn) => [fn, { "Fn::GetAtt": [logicalId(fn), "Arn"] }])) as Record<PipelineFunction, unknown>;
  return { functions, deployStateMachine: { Ref: "DeployLambdaStateMachine" } };
}
