import { AwsError } from "../shared/protocol/errors.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../shared/protocol/json-rpc.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { Invocation, ManagedInstance } from "./model.js";
import { MAX_INSTANCE_IDS, type SsmWorld } from "./world.js";

/**
 * Systems Manager over AWS JSON 1.1 as @aws-sdk/client-ssm speaks it (X-Amz-Target `AmazonSSM.<Op>`, namespace
 * `com.amazonaws.ssm`, timestamps in epoch seconds): the Run Command calls an agentless EC2/on-premises deployment
 * makes, and DescribeInstanceInformation to find managed nodes (by id, ping status, platform or tag).
 */
export const SSM_PROTOCOL: JsonRpcProtocol = { version: "1.1", target: "AmazonSSM", namespace: "com.amazonaws.ssm" };

type Body = Record<string, unknown>;
const MAX_OUTPUT = 24_000; // GetCommandInvocation's StandardOutputContent is cut at 24,000 characters (API reference)

const invalid = (code: string, message: string) => new AwsError(code, message, { status: 400 });

function page<T>(items: T[], b: Body, max: number, min = 1): { items: T[]; NextToken?: string } {
  const size = b.MaxResults === undefined ? max : Number(b.MaxResults);
  if (!Number.isInteger(size) || size < min || size > max) throw invalid("ValidationException", `1 validation error detected: Value '${b.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  const start = b.NextToken === undefined ? 0 : Number.parseInt(String(b.NextToken), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalid("InvalidNextToken", "The specified token isn't valid.");
  const slice = items.slice(start, start + size);
  return { items: slice, ...(start + size < items.length ? { NextToken: String(start + size) } : {}) };
}

export class SsmApi extends JsonRpcApi {
  readonly service = "SSM";
  protected readonly protocol = SSM_PROTOCOL;
  protected readonly ops: Record<string, (b: Body) => Handled> = {
    DescribeInstanceInformation: (b) => this.describeInstanceInformation(b),
    SendCommand: (b) => this.sendCommand(b),
    GetCommandInvocation: (b) => this.getCommandInvocation(b),
    ListCommandInvocations: (b) => this.listCommandInvocations(b),
    CancelCommand: (b) => this.cancelCommand(b),
  };

  constructor(private readonly world: SsmWorld) {
    super();
  }

  /** SSM throttles with `ThrottlingException` and fails with `InternalServerError`. */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("ThrottlingException", "Rate exceeded", { status: 400 });
    return new AwsError("InternalServerError", "Internal Server Error (simulated)", { status: fault.status ?? 500 });
  }

  private describeInstanceInformation(b: Body): Handled {
    const filters = (Array.isArray(b.Filters) ? b.Filters : []) as { Key?: string; Values?: string[] }[];
    let found = [...this.world.instances.values()];
    for (const f of filters) {
      const values = f.Values ?? [];
      if (!f.Key || values.length === 0) throw invalid("InvalidInstanceInformationFilterValue", "Filter key and values are required");
      const key = f.Key;
      if (key === "InstanceIds") found = found.filter((i) => values.includes(i.id));
      else if (key === "PingStatus") found = found.filter((i) => values.includes(i.pingStatus));
      else if (key === "PlatformTypes") found = found.filter((i) => values.includes(i.platform));
      else if (key === "ResourceType") found = found.filter((i) => values.includes(resourceType(i)));
      else if (key === "tag-key") found = found.filter((i) => values.some((v) => v in i.tags));
      else if (key.startsWith("tag:")) found = found.filter((i) => values.includes(i.tags[key.slice(4)] as string));
      else throw invalid("InvalidFilterKey", `The filter key ${key} is not valid.`);
    }
    const { items, NextToken } = page(found, b, 50, 5);
    return this.ok({ InstanceInformationList: items.map(info), NextToken }, `${items.length} node(s)`);
  }

  private sendCommand(b: Body): Handled {
    const documentName = String(b.DocumentName ?? "");
    if (!documentName) throw invalid("ValidationException", "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
    if (b.Targets !== undefined) throw invalid("ValidationException", "Targets are not modelled by the simulated account; send InstanceIds (at most 50)");
    const params = (b.Parameters ?? {}) as Record<string, string[]>;
    const commands = params.commands;
    if (!Array.isArray(commands) || commands.length === 0) throw invalid("InvalidParameters", "Parameter \"commands\" is required.");
    const executionTimeoutSeconds = Number(params.executionTimeout?.[0] ?? 3600);
    if (!Number.isInteger(executionTimeoutSeconds) || executionTimeoutSeconds < 1 || executionTimeoutSeconds > 172_800) throw invalid("InvalidParameters", "Parameter \"executionTimeout\" must be an integer between 1 and 172800.");
    const deliveryTimeoutSeconds = b.TimeoutSeconds === undefined ? 3600 : Number(b.TimeoutSeconds);
    if (!Number.isInteger(deliveryTimeoutSeconds) || deliveryTimeoutSeconds < 30 || deliveryTimeoutSeconds > 2_592_000) throw invalid("ValidationException", "TimeoutSeconds must be between 30 and 2592000");
    const instanceIds = (Array.isArray(b.InstanceIds) ? b.InstanceIds : []) as string[];
    const c = this.world.sendCommand({ documentName, instanceIds, script: commands.join("\n"), executionTimeoutSeconds, deliveryTimeoutSeconds, comment: String(b.Comment ?? "") });
    const requested = c.requestedAtMs / 1000;
    return this.ok(
      { Command: { CommandId: c.commandId, DocumentName: c.documentName, Comment: c.comment, InstanceIds: c.instanceIds, RequestedDateTime: requested, Status: "Pending", StatusDetails: "Pending", TargetCount: c.instanceIds.length, CompletedCount: 0, ErrorCount: 0, DeliveryTimedOutCount: 0, TimeoutSeconds: c.deliveryTimeoutSeconds } },
      `${c.documentName} to ${c.instanceIds.length} node(s)`,
    );
  }

  private getCommandInvocation(b: Body): Handled {
    const commandId = String(b.CommandId ?? "");
    const instanceId = String(b.InstanceId ?? "");
    if (!commandId || !instanceId) throw invalid("ValidationException", "CommandId and InstanceId are required");
    if (!this.world.commands.has(commandId)) throw invalid("InvalidCommandId", "");
    const { invocation: inv, status, statusDetails } = this.world.invocation(commandId, instanceId);
    const ended = status !== "Pending" && status !== "InProgress";
    return this.ok(
      {
        CommandId: commandId,
        InstanceId: instanceId,
        DocumentName: inv.documentName,
        PluginName: "aws:runShellScript",
        Status: status,
        StatusDetails: statusDetails,
        ResponseCode: ended ? inv.responseCode : -1,
        StandardOutputContent: ended ? inv.output.slice(0, MAX_OUTPUT) : "",
        StandardErrorContent: "",
        ExecutionStartDateTime: status === "Pending" ? "" : iso(inv.startMs),
        ExecutionEndDateTime: ended ? iso(inv.endMs) : "",
        ExecutionElapsedTime: ended ? elapsed(inv.endMs - inv.startMs) : "",
      },
      `${instanceId} ${status}`,
    );
  }

  /** CancelCommand: CommandId (36 characters), optional InstanceIds (at most 50, each once); an empty body in return. */
  private cancelCommand(b: Body): Handled {
    const commandId = String(b.CommandId ?? "");
    if (!commandId) throw invalid("ValidationException", "1 validation error detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null");
    if (commandId.length !== 36) throw invalid("ValidationException", `1 validation error detected: Value '${commandId}' at 'commandId' failed to satisfy constraint: Member must have length equal to 36`);
    const instanceIds = (Array.isArray(b.InstanceIds) ? b.InstanceIds : []) as string[];
    if (instanceIds.length > MAX_INSTANCE_IDS) throw invalid("ValidationException", `1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INSTANCE_IDS}`);
    if (new Set(instanceIds).size !== instanceIds.length) throw invalid("DuplicateInstanceId", "");
    const cancelled = this.world.cancelCommand(commandId, instanceIds);
    return this.ok({}, `${cancelled} invocation(s) cancelled`);
  }

  private listCommandInvocations(b: Body): Handled {
    const commandId = b.CommandId === undefined ? undefined : String(b.CommandId);
    if (commandId !== undefined && !this.world.commands.has(commandId)) throw invalid("InvalidCommandId", "");
    const ids = commandId ? [commandId] : [...this.world.commands.keys()];
    let all = ids.flatMap((id) => this.world.invocationsOf(id));
    if (b.InstanceId !== undefined) all = all.filter((i) => i.instanceId === b.InstanceId);
    const { items, NextToken } = page(all, b, 50);
    return this.ok({ CommandInvocations: items.map((i) => this.invocationView(i, b.Details === true)), NextToken }, `${items.length} invocation(s)`);
  }

  private invocationView(inv: Invocation, details: boolean): Body {
    const { status, statusDetails } = this.world.invocation(inv.commandId, inv.instanceId);
    const ended = status !== "Pending" && status !== "InProgress";
    const view: Body = { CommandId: inv.commandId, InstanceId: inv.instanceId, DocumentName: inv.documentName, RequestedDateTime: inv.requestedAtMs / 1000, Status: status, StatusDetails: statusDetails };
    if (details) view.CommandPlugins = [{ Name: "aws:runShellScript", Status: status, StatusDetails: statusDetails, ResponseCode: ended ? inv.responseCode : -1, Output: ended ? inv.output.slice(0, 2500) : "" }];
    return view;
  }
}

const resourceType = (i: ManagedInstance) => (i.id.startsWith("mi-") ? "ManagedInstance" : "EC2Instance");

function info(i: ManagedInstance): Body {
  return { InstanceId: i.id, PingStatus: i.pingStatus, PlatformType: i.platform, ResourceType: resourceType(i), AgentVersion: "3.3.0.0", IsLatestVersion: true };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, ".000Z");
/** An ISO 8601 duration, as SSM reports ExecutionElapsedTime (e.g. `PT12.0S`). */
const elapsed = (ms: number) => `PT${(ms / 1000).toFixed(1)}S`;
