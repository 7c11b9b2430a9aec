import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { Handled } from "../shared/protocol/wire.js";
import { paginate } from "../shared/protocol/paging.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../shared/protocol/json-rpc.js";
import type { ExecutionRecord, SfnWorld, StateMachineRecord } from "./world.js";

/**
 * Step Functions over AWS JSON 1.0 as @aws-sdk/client-sfn 3.1164.0 speaks it (`AwsJson1_0Protocol`,
 * `serviceTarget: "AWSStepFunctions"`, `defaultNamespace: "com.amazonaws.sfn"` in its
 * dist-cjs/index.js; not awsQueryCompatible). Timestamps are epoch seconds. Member names are
 * camelCase (StartExecutionInput: stateMachineArn, name, input, traceHeader; DescribeExecutionOutput:
 * executionArn, stateMachineArn, name, status, startDate, stopDate, input, inputDetails, output,
 * outputDetails, error, cause; ExecutionListItem; StateMachineListItem; DescribeStateMachineOutput).
 */
export const SFN_PROTOCOL: JsonRpcProtocol = { version: "1.0", target: "AWSStepFunctions", namespace: "com.amazonaws.sfn" };

type Body = Record<string, unknown>;

const seconds = (ms: number) => ms / 1000;
const invalidToken = () => new AwsError("InvalidToken", "Invalid Token: 'Invalid token'", { status: 400 });

export class SfnApi extends JsonRpcApi {
  readonly service = "SFN";
  protected readonly protocol = SFN_PROTOCOL;
  protected readonly ops: Record<string, (b: Body) => Handled> = {
    StartExecution: (b) => this.startExecution(b),
    DescribeExecution: (b) => this.describeExecution(b),
    ListExecutions: (b) => this.listExecutions(b),
    StopExecution: (b) => this.stopExecution(b),
    SendTaskSuccess: (b) => this.empty(() => this.world.tokens.succeed(b.taskToken, b.output), "success"),
    SendTaskFailure: (b) => this.empty(() => this.world.tokens.fail(b.taskToken, b.error, b.cause), `failure ${typeof b.error === "string" ? b.error : ""}`.trim()),
    SendTaskHeartbeat: (b) => this.empty(() => this.world.tokens.heartbeat(b.taskToken), "heartbeat"),
    DescribeStateMachine: (b) => this.describeStateMachine(b),
    ListStateMachines: (b) => this.listStateMachines(b),
  };

  constructor(private readonly world: SfnWorld) {
    super();
  }
  /**
   * Step Functions throttling is `ThrottlingException` "Rate exceeded" (HTTP 400; not modelled in
   * client-sfn, so the SDK raises SFNServiceException named ThrottlingException, which @smithy's
   * retry strategy classifies as throttling); internal errors are the common `InternalFailure` (500).
   */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("ThrottlingException", "Rate exceeded", { status: 400 });
    return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure (simulated).", { status: fault.status ?? 500 });
  }

  // ---- operations ----------------------------------------------------------------------------

  private empty(action: () => void, summary: string): Handled {
    action();
    return this.ok({}, summary);
  }

  private startExecution(b: Body): Handled {
    const { execution, created } = this.world.startExecution({ stateMachineArn: b.stateMachineArn, name: b.name, input: b.input });
    return this.ok({ executionArn: execution.executionArn, startDate: seconds(execution.startMs) }, `${execution.stateMachineName}/${execution.name}${created ? "" : " (idempotent)"}`);
  }

  private describeExecution(b: Body): Handled {
    const e = this.world.execution(b.executionArn);
    const out: Body = {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startMs),
      input: e.input,
      inputDetails: { included: true },
    };
    if (e.stopMs !== undefined) out.stopDate = seconds(e.stopMs);
    if (e.status === "SUCCEEDED" && e.output !== undefined) {
      out.output = e.output;
      out.outputDetails = { included: true };
    }
    if (e.error !== undefined) out.error = e.error;
    if (e.cause !== undefined) out.cause = e.cause;
    return this.ok(out, `${e.name}=${e.status}`);
  }

  private listExecutions(b: Body): Handled {
    if (b.stateMachineArn === undefined && b.mapRunArn === undefined) {
      throw new AwsError("ValidationException", "1 validation error detected: Must provide a StateMachine ARN or MapRun ARN", { status: 400 });
    }
    if (b.mapRunArn !== undefined) throw new AwsError("ResourceNotFound", "Map Runs are not simulated", { status: 400 });
    const max = pageSize(b.maxResults);
    const all = this.world.listExecutions(b.stateMachineArn, b.statusFilter);
    const { page, next } = paginate(all, typeof b.nextToken === "string" ? b.nextToken : undefined, max, invalidToken);
    const out: Body = { executions: page.map(listItem) };
    if (next) out.nextToken = next;
    return this.ok(out, page.map((e) => `${e.name}=${e.status}`).join(", ") || "(none)");
  }

  private stopExecution(b: Body): Handled {
    const e = this.world.stopExecution(b.executionArn, b.error, b.cause);
    return this.ok({ stopDate: seconds(e.stopMs ?? 0) }, `${e.name}=${e.status}`);
  }

  private describeStateMachine(b: Body): Handled {
    const sm = this.world.stateMachine(b.stateMachineArn);
    return this.ok(describeStateMachine(sm), sm.name);
  }

  private listStateMachines(b: Body): Handled {
    const max = pageSize(b.maxResults);
    const { page, next } = paginate(this.world.stateMachines(), typeof b.nextToken === "string" ? b.nextToken : undefined, max, invalidToken);
    const out: Body = { stateMachines: page.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: seconds(sm.createdMs) })) };
    if (next) out.nextToken = next;
    return this.ok(out, page.map((sm) => sm.name).join(", ") || "(none)");
  }
}

/** maxResults: 0..1000, 0 or absent meaning the default page of 100 (API reference, ListExecutions). */
function pageSize(v: unknown): number {
  if (v === undefined || v === null || v === 0) return 100;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 1000) {
    throw new AwsError("ValidationException", constraintMessage(v, "maxResults", "Member must have value less than or equal to 1000"), { status: 400 });
  }
  return v;
}

function listItem(e: ExecutionRecord): Body {
  const item: Body = { executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: seconds(e.startMs) };
  if (e.stopMs !== undefined) item.stopDate = seconds(e.stopMs);
  return item;
}

function describeStateMachine(sm: StateMachineRecord): Body {
  return {
    stateMachineArn: sm.arn,
    name: sm.name,
    status: "ACTIVE",
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: seconds(sm.createdMs),
    loggingConfiguration: { level: "OFF", includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}
