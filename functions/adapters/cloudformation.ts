import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Capability,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import type { CloudFormationPort, StackInput } from "../ports/cloudformation.js";
import { withAwsErrors } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const cloudFormationClient = (): CloudFormationClient => cachedClient("cloudformation", (options) => new CloudFormationClient(options));

const isMissingStack = (e: unknown) => (e as Error)?.name === "ValidationError" && /does not exist/.test((e as Error).message);
const isMissingChangeSet = (e: unknown) => (e as Error)?.name === "ChangeSetNotFoundException";

const call = withAwsErrors;

const stackMembers = (i: StackInput) => ({
  StackName: i.stackName,
  ...(i.templateUrl ? { TemplateURL: i.templateUrl } : { TemplateBody: i.templateBody }),
  Parameters: Object.entries(i.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  Capabilities: i.capabilities as Capability[],
  ...(i.roleArn && { RoleARN: i.roleArn }),
  ...(i.tags && { Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })) }),
});

const token = (t: string | undefined) => (t ? { ClientRequestToken: t } : {});

/** CloudFormation for pipeline CloudFormation actions; SDK errors become named errors (`toStepDeployError`) with CloudFormation's message. */
export function createCloudFormationAdapter(client = cloudFormationClient()): CloudFormationPort {
  return {
    describeStack: (name) =>
      call(`DescribeStacks ${name}`, async () => {
        try {
          const s = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
          if (!s || s.StackStatus === "DELETE_COMPLETE") return undefined;
          const outputs = Object.fromEntries((s.Outputs ?? []).flatMap((o) => (o.OutputKey ? [[o.OutputKey, o.OutputValue ?? ""]] : [])));
          return { stackId: s.StackId ?? "", name: s.StackName ?? name, status: s.StackStatus ?? "", ...(s.StackStatusReason && { statusReason: s.StackStatusReason }), outputs };
        } catch (e) {
          if (isMissingStack(e)) return undefined;
          throw e;
        }
      }),
    createStack: (input) => call(`CreateStack ${input.stackName}`, async () => ({ stackId: (await client.send(new CreateStackCommand({ ...stackMembers(input), ...token(input.clientRequestToken) }))).StackId ?? "" })),
    updateStack: (input) =>
      call(`UpdateStack ${input.stackName}`, async () => {
        try {
          const out = await client.send(new UpdateStackCommand({ ...stackMembers(input), ...token(input.clientRequestToken) }));
          return { ...(out.StackId && { stackId: out.StackId }), noUpdates: false };
        } catch (e) {
          // CloudFormation refuses an update that changes nothing with this ValidationError.
          if ((e as Error)?.name === "ValidationError" && (e as Error).message === "No updates are to be performed.") return { noUpdates: true };
          throw e;
        }
      }),
    deleteStack: (name, roleArn, clientRequestToken) =>
      call(`DeleteStack ${name}`, async () => {
        await client.send(new DeleteStackCommand({ StackName: name, ...(roleArn && { RoleARN: roleArn }), ...token(clientRequestToken) }));
      }),
    describeChangeSet: (stackName, changeSetName) =>
      call(`DescribeChangeSet ${stackName}/${changeSetName}`, async () => {
        try {
          const c = await client.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
          return { id: c.ChangeSetId ?? "", status: c.Status ?? "", executionStatus: c.ExecutionStatus ?? "", ...(c.StatusReason && { statusReason: c.StatusReason }), changes: c.Changes?.length ?? 0 };
        } catch (e) {
          if (isMissingChangeSet(e) || isMissingStack(e)) return undefined;
          throw e;
        }
      }),
    createChangeSet: (input) =>
      call(`CreateChangeSet ${input.stackName}/${input.changeSetName}`, async () => ({
        id: (await client.send(new CreateChangeSetCommand({ ...stackMembers(input), ChangeSetName: input.changeSetName, ChangeSetType: input.changeSetType }))).Id ?? "",
      })),
    executeChangeSet: (stackName, changeSetName, clientRequestToken) =>
      call(`ExecuteChangeSet ${stackName}/${changeSetName}`, async () => {
        await client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName, ...token(clientRequestToken) }));
      }),
    deleteChangeSet: (stackName, changeSetName) =>
      call(`DeleteChangeSet ${stackName}/${changeSetName}`, async () => {
        await client.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
      }),
    stackEvents: (stack) =>
      call(`DescribeStackEvents ${stack}`, async () =>
        ((await client.send(new DescribeStackEventsCommand({ StackName: stack }))).StackEvents ?? []).map((e) => ({
          logicalResourceId: e.LogicalResourceId ?? "",
          resourceType: e.ResourceType ?? "",
          resourceStatus: e.ResourceStatus ?? "",
          ...(e.ResourceStatusReason && { reason: e.ResourceStatusReason }),
          timestamp: e.Timestamp?.getTime() ?? 0,
          ...(e.ClientRequestToken && { clientRequestToken: e.ClientRequestToken }),
        })),
      ),
  };
}
