import { CancelCommandCommand, DescribeInstanceInformationCommand, GetCommandInvocationCommand, type InstanceInformationStringFilter, ListCommandInvocationsCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { ManagedNode, NodeCommandResult, NodeCommandStatus, RunCommandPort } from "../ports/run-command.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const ssmClient = (): SSMClient => cachedClient("ssm", (options) => new SSMClient(options));

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toStepDeployError(e, what);
  }
}

const DONE: ReadonlySet<string> = new Set(["Success", "Failed", "TimedOut", "Cancelled"]);

/** Systems Manager Run Command: DescribeInstanceInformation (tag and id filters, paged), SendCommand, ListCommandInvocations, GetCommandInvocation. */
export function createSsmAdapter(): RunCommandPort {
  return {
    async findNodes(query) {
      const filters: InstanceInformationStringFilter[] = [];
      for (const [key, values] of Object.entries(query.tags ?? {})) filters.push({ Key: `tag:${key}`, Values: values });
      if (query.tagKeys) filters.push({ Key: "tag-key", Values: query.tagKeys });
      if (query.instanceIds) filters.push({ Key: "InstanceIds", Values: query.instanceIds });
      const nodes: ManagedNode[] = [];
      let next: string | undefined;
      do {
        const out = await call("ssm:DescribeInstanceInformation", () => ssmClient().send(new DescribeInstanceInformationCommand({ Filters: filters, MaxResults: 50, NextToken: next })));
        for (const i of out.InstanceInformationList ?? []) if (i.InstanceId) nodes.push({ id: i.InstanceId, platform: i.PlatformType ?? "", online: i.PingStatus === "Online" });
        next = out.NextToken;
      } while (next);
      return nodes;
    },
    async send(request) {
      const out = await call(`ssm:SendCommand ${request.documentName}`, () =>
        ssmClient().send(
          new SendCommandCommand({
            DocumentName: request.documentName,
            InstanceIds: request.instanceIds,
            Comment: request.comment.slice(0, 100),
            Parameters: { commands: [request.script], executionTimeout: [String(request.executionTimeoutSeconds)] },
          }),
        ),
      );
      return out.Command?.CommandId ?? "";
    },
    async cancel(commandId) {
      await call(`ssm:CancelCommand ${commandId}`, () => ssmClient().send(new CancelCommandCommand({ CommandId: commandId })));
    },
    async result(commandId, instanceId): Promise<NodeCommandResult> {
      const out = await call(`ssm:GetCommandInvocation ${instanceId}`, () => ssmClient().send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })));
      const status = (out.Status ?? "Pending") as NodeCommandStatus;
      return { instanceId, status, done: DONE.has(status), exitCode: out.ResponseCode ?? -1, details: out.StatusDetails ?? "", output: out.StandardOutputContent ?? "" };
    },
    async results(commandId): Promise<NodeCommandResult[]> {
      const out: NodeCommandResult[] = [];
      let next: string | undefined;
      do {
        const page = await call(`ssm:ListCommandInvocations ${commandId}`, () => ssmClient().send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, MaxResults: 50, NextToken: next })));
        for (const inv of page.CommandInvocations ?? []) {
          const status = (inv.Status ?? "Pending") as NodeCommandStatus;
          const plugin = inv.CommandPlugins?.[0];
          out.push({ instanceId: inv.InstanceId ?? "", status, done: DONE.has(status), exitCode: plugin?.ResponseCode ?? -1, details: inv.StatusDetails ?? "", output: plugin?.Output ?? "" });
        }
        next = page.NextToken;
      } while (next);
      return out;
    },
  };
}
