// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { shortHash } from "../synth/names.js";
import { synthesize } from "../synth/pipeline.js";
import type { Pipeline } from "../types.js";
import { gitFetchProjectName, isGitSource } from "./git-fetch-project.js";
import { literal, type PipelineTrigger, pipelineTriggers } from "./triggers.js";

/**
 * The stack's share of each pipeline in `pipelines/`: its compiled state machine (a serverless-step-
 * functions entry), a least-privilege role for it, and its triggers. The role may invoke only the
 * pipeline Lambdas its graph names, start only the CodeBuild projects, functions and deployment state
 * machine its actions name, and start itself only when a stage rolls back. Values CloudFormation must
 * resolve are intrinsics (`Fn::Sub` with the partition, region and account).
 */
export type Cfn = Record<string, unknown>;

export interface PipelineStackPart {
  pipeline: string;
  /** The state machine's name: `<service>-<stage>-pipeline-<name>`, cut with a hash to Step Functions' 80. */
  stateMachineName: string;
  logicalId: string;
  stateMachine: Cfn;
  roleLogicalId: string;
  role: Cfn;
  triggers: PipelineTrigger[];
  /** For the janitor: the stages an abandoned execution may hold, and how their gates admit. */
  stages: string[];
  executionMode: string;
}

const sub = (s: string) => ({ "Fn::Sub": s });
const ARN = (service: string, resource: string) => sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);

export function stateMachineName(service: string, stage: string, pipeline: string): string {
  const name = `${service}-${stage}-pipeline-${pipeline}`;
  return name.length <= 80 ? name : `${name.slice(0, 71)}-${shortHash(name)}`;
}

/** A CloudFormation logical id for the pipeline (alphanumeric), unique by a hash when the name had other characters. */
export function pipelineLogicalId(pipeline: string): string {
  const alnum = pipeline.replace(/[^A-Za-z0-9]/g, "");
  const base = `${alnum.charAt(0).toUpperCase()}${alnum.slice(1)}`;
  return alnum === pipeline ? base : `${base}${shortHash(pipeline).slice(0, 6)}`;
}

function ourFunctions(definition: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(definition)) for (const d of definition) ourFunctions(d, found);
  else if (definition && typeof definition === "object") {
    const getAtt = (definition as { "Fn::GetAtt"?: unknown })["Fn::GetAtt"];
    if (Array.isArray(getAtt) && typeof getAtt[0] === "string" && getAtt[0].startsWith("Pipeline")) found.add(getAtt[0]);
    else for (const v of Object.values(definition)) ourFunctions(v, found);
  }
  return found;
}


function statements(p: Pipeline, definition: Record<string, unknown>, name: string, gitFetchProject: string, deployStateMachine: string): Cfn[] {
  const actions = p.stages.flatMap((s) => s.actions);
  const out: Cfn[] = [];
  const fns = [...ourFunctions(definition)].sort();
  out.push({ Sid: "InvokePipelineFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: fns.flatMap((f) => [{ "Fn::GetAtt": [f, "Arn"] }, sub(`\${${f}.Arn}:*`)]) });
  const builds = actions.filter((a) => a.actionTypeId.provider === "CodeBuild");
  const projects = [...new Set([...builds.map((a) => a.configuration["ProjectName"]).filter(literal), ...(actions.some(isGitSource) ? [gitFetchProject] : [])])].sort();
  // codebuild:startBuild.sync (Step Functions developer guide, "IAM policies for AWS CodeBuild").
  if (projects.length) {
    const batch = builds.some((a) => a.configuration["BatchEnabled"] === "true");
    out.push({ Sid: "RunBuilds", Effect: "Allow", Action: ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds", ...(batch ? ["codebuild:StartBuildBatch", "codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"] : [])], Resource: projects.map((n) => ARN("codebuild", `project/${n}`)) });
    out.push({ Sid: "SyncBuildRule", Effect: "Allow", Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"], Resource: [ARN("events", "rule/StepFunctionsGetEventsForCodeBuildStartBuildRule"), ...(batch ? [ARN("events", "rule/StepFunctionsGetEventsForCodeBuildStartBuildBatchRule")] : [])] });
  }
  // states:startExecution.sync:2 (developer guide, "IAM policies for starting nested executions").
  if (actions.some((a) => a.actionTypeId.provider === "CodeDeploy")) {
    out.push({ Sid: "StartDeployments", Effect: "Allow", Action: ["states:StartExecution"], Resource: [{ Ref: "DeployLambdaStateMachine" }] });
    out.push({ Sid: "FollowDeployments", Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: [ARN("states", `execution:${deployStateMachine}:*`)] });
    out.push({ Sid: "SyncExecutionRule", Effect: "Allow", Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"], Resource: [ARN("events", "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")] });
  }
  const invoked = [...new Set(actions.filter((a) => a.actionTypeId.category === "Invoke").map((a) => a.configuration["FunctionName"]).filter(literal))].sort();
  if (invoked.length) out.push({ Sid: "InvokeActionFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: invoked.flatMap((f) => [ARN("lambda", `function:${f}`), ARN("lambda", `function:${f}:*`)]) });
  // A stage that rolls back starts a ROLLBACK execution of this same machine (by name: a Ref would be circular).
  if (p.stages.some((s) => s.onFailure.result === "ROLLBACK")) out.push({ Sid: "StartRollbackExecutions", Effect: "Allow", Action: ["states:StartExecution"], Resource: [ARN("states", `stateMachine:${name}`)] });
  return out;
}

/**
 * The definition as CloudFormation's DefinitionString: each intrinsic (`Fn::GetAtt` of a function, `Ref`
 * of the deployment state machine) becomes a `${name}` of an `Fn::Sub` variable map, and any literal
 * `${` is escaped as `${!` (Fn::Sub's own escape). CodePipeline's `#{Namespace.Var}` stays as written:
 * serverless-step-functions would turn every `#{...}` into a `${...}` substitution (its pseudo-parameter
 * syntax) and break the variables, so the pipelines' machines are written as plain resources.
 */
export function definitionString(definition: Record<string, unknown>): Cfn {
  const vars: Record<string, unknown> = {};
  const keys = new Map<string, string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/\$\{/g, "${!");
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const entries = Object.entries(v);
      if (entries.length === 1 && (entries[0]?.[0] === "Ref" || entries[0]?.[0] === "Fn::GetAtt")) {
        const id = JSON.stringify(v);
        let name = keys.get(id);
        if (!name) {
          name = `r${keys.size}`;
          keys.set(id, name);
          vars[name] = v;
        }
        return `\${${name}}`;
      }
      return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const text = JSON.stringify(walk(definition), null, 2);
  return { "Fn::Sub": [text, vars] };
}

export interface StackNames {
  service: string;
  stage: string;
}

export function pipelineStackPart(p: Pipeline, names: StackNames): PipelineStackPart {
  const { definition } = synthesize(p);
  const name = stateMachineName(names.service, names.stage, p.name);
  const id = pipelineLogicalId(p.name);
  const roleLogicalId = `Pipeline${id}StateMachineRole`;
  const role = {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } } }] },
      ManagedPolicyArns: [{ Ref: "NeverChangeStepDeploy" }, { "Fn::If": ["TracingOn", sub("arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"), { Ref: "AWS::NoValue" }] }],
      Policies: [{ PolicyName: `pipeline-${id}`, PolicyDocument: { Version: "2012-10-17", Statement: statements(p, definition, name, gitFetchProjectName(names), `${names.service}-${names.stage}-deploy-lambda`) } }],
    },
  };
  const stateMachine = {
    Type: "AWS::StepFunctions::StateMachine",
    DependsOn: [roleLogicalId],
    Properties: {
      StateMachineName: name,
      StateMachineType: "STANDARD",
      RoleArn: { "Fn::GetAtt": [roleLogicalId, "Arn"] },
      DefinitionString: definitionString(definition),
      TracingConfiguration: { Enabled: { "Fn::If": ["TracingOn", true, false] } },
    },
  };
  return { pipeline: p.name, stateMachineName: name, logicalId: `Pipeline${id}StateMachine`, stateMachine, roleLogicalId, role, triggers: pipelineTriggers(p, name), stages: p.stages.map((s) => s.name), executionMode: p.executionMode };
}
