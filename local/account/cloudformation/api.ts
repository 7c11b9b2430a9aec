import { type QueryParams, type QueryProtocol, type QueryValue, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import { validationError } from "./template.js";
import type { ChangeSet, CloudFormationWorld, Stack, StackRequest } from "./world.js";

/**
 * CloudFormation over the query protocol as @aws-sdk/client-cloudformation speaks it (version
 * 2010-05-15, XML namespace `http://cloudformation.amazonaws.com/doc/2010-05-15/`): the stack and
 * change set operations a pipeline's CloudFormation action calls.
 */
export const CLOUDFORMATION_PROTOCOL: QueryProtocol = { version: "2010-05-15", xmlns: "http://cloudformation.amazonaws.com/doc/2010-05-15/" };

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const required = (p: QueryParams, name: string, member: string): string => {
  const v = str(p[name]);
  if (!v) throw validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return v;
};

function stackRequest(p: QueryParams): StackRequest {
  const parameters = list(p["Parameters"]).map((x) => {
    const o = x as Record<string, QueryValue>;
    return { key: str(o["ParameterKey"]) ?? "", ...(typeof o["ParameterValue"] === "string" && { value: o["ParameterValue"] }), usePrevious: o["UsePreviousValue"] === "true" };
  });
  const roleArn = str(p["RoleARN"]);
  const clientRequestToken = str(p["ClientRequestToken"]);
  return {
    stackName: required(p, "StackName", "stackName"),
    ...(typeof p["TemplateBody"] === "string" && { templateBody: p["TemplateBody"] }),
    ...(str(p["TemplateURL"]) && { templateUrl: str(p["TemplateURL"]) }),
    usePreviousTemplate: p["UsePreviousTemplate"] === "true",
    parameters,
    capabilities: list(p["Capabilities"]).filter((c): c is string => typeof c === "string"),
    ...(roleArn && { roleArn }),
    ...(clientRequestToken && { clientRequestToken }),
  };
}

export class CloudFormationApi extends QueryApi {
  readonly service = "CloudFormation";
  protected readonly protocol = CLOUDFORMATION_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    CreateStack: (p) => {
      const s = this.world.createStack(stackRequest(p));
      return this.ok("CreateStack", { StackId: s.stackId }, s.name);
    },
    UpdateStack: (p) => {
      const s = this.world.updateStack(stackRequest(p));
      return this.ok("UpdateStack", { StackId: s.stackId }, s.name);
    },
    DeleteStack: (p) => {
      const name = required(p, "StackName", "stackName");
      this.world.deleteStack(name, str(p["ClientRequestToken"]));
      return this.ok("DeleteStack", {}, name);
    },
    DescribeStacks: (p) => {
      const name = str(p["StackName"]);
      const stacks = name ? [this.world.get(name)] : this.world.stacks.filter((s) => this.world.status(s).status !== "DELETE_COMPLETE");
      return this.ok("DescribeStacks", { Stacks: stacks.map((s) => this.stackView(s)) }, name ?? "all");
    },
    DescribeStackEvents: (p) => {
      const s = this.world.get(required(p, "StackName", "stackName"));
      const events = this.world.eventsSoFar(s).reverse();
      return this.ok("DescribeStackEvents", { StackEvents: events.map((e) => ({ StackId: s.stackId, EventId: e.eventId, StackName: s.name, LogicalResourceId: e.logicalResourceId, PhysicalResourceId: e.physicalResourceId, ResourceType: e.resourceType, Timestamp: this.date(e.atSeconds), ResourceStatus: e.resourceStatus, ResourceStatusReason: e.resourceStatusReason, ClientRequestToken: e.clientRequestToken })) }, s.name);
    },
    CreateChangeSet: (p) => {
      const cs = this.world.createChangeSet({ ...stackRequest(p), changeSetName: required(p, "ChangeSetName", "changeSetName"), ...(str(p["ChangeSetType"]) && { changeSetType: str(p["ChangeSetType"]) }) });
      return this.ok("CreateChangeSet", { Id: cs.id, StackId: cs.stack.stackId }, `${cs.stack.name}/${cs.name} ${cs.type}`);
    },
    DescribeChangeSet: (p) => {
      const cs = this.world.changeSet(str(p["StackName"]), required(p, "ChangeSetName", "changeSetName"));
      return this.ok("DescribeChangeSet", this.changeSetView(cs), `${cs.stack.name}/${cs.name}`);
    },
    ExecuteChangeSet: (p) => {
      const name = required(p, "ChangeSetName", "changeSetName");
      this.world.executeChangeSet(str(p["StackName"]), name, str(p["ClientRequestToken"]));
      return this.ok("ExecuteChangeSet", {}, name);
    },
    DeleteChangeSet: (p) => {
      const name = required(p, "ChangeSetName", "changeSetName");
      this.world.deleteChangeSet(str(p["StackName"]), name);
      return this.ok("DeleteChangeSet", {}, name);
    },
  };

  constructor(
    private readonly world: CloudFormationWorld,
    private readonly msAt: (atSeconds: number) => number,
    requestId: () => string,
  ) {
    super(requestId);
  }


  private date(atSeconds: number): Date {
    return new Date(this.msAt(atSeconds));
  }

  private stackView(s: Stack) {
    const { status, reason } = this.world.status(s);
    const cur = this.world.current(s);
    const noEcho = (k: string) => cur?.config?.template.parameters[k]?.noEcho;
    return {
      StackId: s.stackId,
      StackName: s.name,
      Parameters: Object.entries(cur?.config?.parameters ?? {}).map(([k, v]) => ({ ParameterKey: k, ParameterValue: noEcho(k) ? "****" : v })),
      CreationTime: this.date(s.createdAt),
      LastUpdatedTime: s.lastUpdatedAt === undefined ? undefined : this.date(s.lastUpdatedAt),
      StackStatus: status,
      StackStatusReason: reason,
      DisableRollback: false,
      Capabilities: cur?.config?.capabilities,
      Outputs: (cur?.outputs ?? []).map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName })),
      RoleARN: cur?.config?.roleArn,
    };
  }

  private changeSetView(cs: ChangeSet) {
    const st = this.world.changeSetStatus(cs);
    return {
      ChangeSetName: cs.name,
      ChangeSetId: cs.id,
      StackId: cs.stack.stackId,
      StackName: cs.stack.name,
      Parameters: Object.entries(cs.config.parameters).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
      CreationTime: this.date(cs.createdAt),
      ExecutionStatus: st.executionStatus,
      Status: st.status,
      StatusReason: st.reason,
      Capabilities: cs.config.capabilities,
      Changes: st.status === "CREATE_COMPLETE" ? cs.changes.map((c) => ({ Type: "Resource", ResourceChange: { Action: c.action, LogicalResourceId: c.logicalId, ResourceType: c.type } })) : [],
    };
  }
}
