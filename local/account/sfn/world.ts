import type { SimClock } from "../../clock.js";
import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import type { IdGenerator } from "../shared/ids.js";
import { TaskTokens } from "./tokens.js";

/**
 * Step Functions state machines and executions of the simulated account. The account only keeps
 * the books; an injected ExecutionHost (the local runtime) runs executions and reports how they
 * ended (`executionFinished`). Without a host an execution simply stays RUNNING until stopped.
 *
 * Rules (API reference and the project spec, codepipeline-spec.md 5.1 and 5.7, citing botocore's
 * stepfunctions service-2.json):
 * - execution ARN `arn:aws:states:<region>:<account>:execution:<stateMachineName>:<name>`
 *   (Express: `...:express:<stateMachineName>:<name>:<id>`);
 * - names are 1-80 characters without white space, `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`
 *   or control characters (InvalidName);
 * - StartExecution is idempotent for Standard workflows: the same name and input while RUNNING
 *   returns the original execution; a different input or a closed execution is
 *   ExecutionAlreadyExists. Express executions are never idempotent;
 * - StopExecution marks a RUNNING Standard execution ABORTED with the optional error/cause
 *   (DescribeExecution omits error/cause when none were given, as measured against AWS in
 *   floci-io/floci#2965); on a closed execution it changes nothing and answers its stopDate
 *   (AWS's behaviour there is unconfirmed);
 * - DescribeExecution, StopExecution and ListExecutions do not apply to Express
 *   (InvalidArn "Resource type not valid in this context: express" / StateMachineTypeNotSupported);
 * - ListExecutions: most recent first.
 * Error messages follow what emulators record from AWS ("State Machine Does Not Exist: '<arn>'",
 * "Execution Does Not Exist: '<arn>'", "Execution Already Exists: '<arn>'", "Invalid Name: '<name>'",
 * "Invalid Arn: 'Resource type not valid in this context: <type>'"; LocalStack provider.py and the
 * AWS error quoted in cirrus-geo/cirrus-geo#316); others are ours.
 */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
export type StateMachineType = "STANDARD" | "EXPRESS";

export interface StateMachineSpec {
  name: string;
  /** Default `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  arn?: string;
  /** Default STANDARD. */
  type?: StateMachineType;
  /** What DescribeStateMachine shows (ASL as a string or object); default a one-state Pass machine. */
  definition?: string | object;
  roleArn?: string;
}

export interface StateMachineRecord {
  name: string;
  arn: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  createdMs: number;
}

export interface ExecutionRecord {
  seq: number;
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  type: StateMachineType;
  status: ExecutionStatus;
  /** Epoch ms (simulated clock). */
  startMs: number;
  stopMs?: number;
  /** Simulated seconds (clock.elapsedSeconds) of the start and the stop. */
  startedAtSeconds: number;
  stoppedAtSeconds?: number;
  /** JSON text. */
  input: string;
  /** JSON text; only for SUCCEEDED. */
  output?: string;
  error?: string;
  cause?: string;
}

/** What the host is asked to run. */
export interface ExecutionStartRequest {
  stateMachineArn: string;
  stateMachineName: string;
  executionArn: string;
  name: string;
  /** The execution input, parsed. */
  input: unknown;
}

/**
 * Runs executions for the account (the local Step Functions runtime). `start` is called
 * synchronously inside StartExecution and must not block (run asynchronously, then report with
 * `account.sfn.executionFinished`); `stop` is called after StopExecution has marked the execution ABORTED.
 */
export interface ExecutionHost {
  start(req: ExecutionStartRequest): void;
  stop(executionArn: string, error?: string, cause?: string): void;
}

export type TerminalStatus = Exclude<ExecutionStatus, "RUNNING">;

/** How an execution ended, as the host reports it. `output` is the JSON value (it is serialized here). */
export interface ExecutionResult {
  status: TerminalStatus;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface SfnWorldDeps {
  clock: SimClock;
  ids: IdGenerator;
  region: string;
  accountId: string;
  /** Called on every status change of a Standard execution (RUNNING at start, then the terminal one). */
  onStatusChange: (e: Readonly<ExecutionRecord>) => void;
  /** Host failures and ignored reports, for the world log. */
  log: (text: string) => void;
}

const ARN_RE = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/;
const MAX_INPUT_BYTES = 262_144;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the documented forbidden characters include control characters
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const DEFAULT_DEFINITION = { Comment: "Registered with the simulated account; the ExecutionHost runs it", StartAt: "Run", States: { Run: { Type: "Pass", End: true } } };

const validation = (message: string) => new AwsError("ValidationException", message, { status: 400 });
const notNull = (member: string) => validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

export class SfnWorld {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly byArn = new Map<string, ExecutionRecord>();
  /** Every execution, in start order. */
  readonly executions: ExecutionRecord[] = [];
  private host: ExecutionHost | undefined;
  /** Task tokens of `.waitForTaskToken` tasks (SendTaskSuccess/Failure/Heartbeat). */
  readonly tokens: TaskTokens;

  constructor(private readonly deps: SfnWorldDeps) {
    this.tokens = new TaskTokens(deps.clock);
  }

  stateMachineArnFor(name: string): string {
    return `arn:aws:states:${this.deps.region}:${this.deps.accountId}:stateMachine:${name}`;
  }

  // ---- state machines ------------------------------------------------------------------------

  registerStateMachine(spec: StateMachineSpec): StateMachineRecord {
    checkName(spec.name);
    const arn = spec.arn ?? this.stateMachineArnFor(spec.name);
    const parsed = ARN_RE.exec(arn);
    if (parsed?.[4] !== "stateMachine" || parsed[5] !== spec.name) throw new Error(`state machine ARN ${arn} must be arn:aws:states:<region>:<account>:stateMachine:${spec.name}`);
    if (this.machines.has(arn)) throw new Error(`state machine ${arn} is already registered`);
    const type = spec.type ?? "STANDARD";
    if (type !== "STANDARD" && type !== "EXPRESS") throw new Error(`state machine type must be STANDARD or EXPRESS, not ${String(type)}`);
    const record: StateMachineRecord = {
      name: spec.name,
      arn,
      type,
      definition: typeof spec.definition === "string" ? spec.definition : JSON.stringify(spec.definition ?? DEFAULT_DEFINITION),
      roleArn: spec.roleArn ?? `arn:aws:iam::${this.deps.accountId}:role/stepdeploy-simulated-states`,
      createdMs: this.deps.clock.now(),
    };
    this.machines.set(arn, record);
    return record;
  }

  /** The state machine an API call names (InvalidArn / StateMachineDoesNotExist otherwise). */
  stateMachine(arn: unknown, member = "stateMachineArn"): StateMachineRecord {
    if (typeof arn !== "string") throw notNull(member);
    const type = resourceType(arn);
    if (type !== "stateMachine") throw new AwsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${type}'`, { status: 400 });
    const sm = this.machines.get(arn);
    if (!sm) throw new AwsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`, { status: 400 });
    return sm;
  }

  /** State machines sorted by name. */
  stateMachines(): StateMachineRecord[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  }

  // ---- the host ------------------------------------------------------------------------------

  /** Installs the host that runs executions (replacing any previous one); returns a function that detaches it. */
  attachHost(host: ExecutionHost): () => void {
    this.host = host;
    return () => {
      if (this.host === host) this.host = undefined;
    };
  }

  // ---- executions ----------------------------------------------------------------------------

  /**
   * StartExecution. Returns the execution and whether it was created (false: an idempotent repeat of
   * a RUNNING Standard execution with the same name and input).
   */
  startExecution(req: { stateMachineArn: unknown; name?: unknown; input?: unknown }): { execution: ExecutionRecord; created: boolean } {
    const sm = this.stateMachine(req.stateMachineArn);
    if (req.name !== undefined && typeof req.name !== "string") throw new AwsError("SerializationException", "name must be a string", { status: 400 });
    if (req.input !== undefined && typeof req.input !== "string") throw new AwsError("SerializationException", "input must be a string", { status: 400 });
    const name = req.name ?? this.deps.ids.uuid();
    checkName(name);
    const input = req.input ?? "{}";
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES) throw validation(constraintMessage(`${input.slice(0, 40)}...`, "input", `Member must have length less than or equal to ${MAX_INPUT_BYTES}`));
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch (e) {
      throw new AwsError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${(e as Error).message}'`, { status: 400 });
    }
    const executionArn =
      sm.type === "STANDARD" ? sm.arn.replace(/:stateMachine:[^:]+$/, `:execution:${sm.name}:${name}`) : sm.arn.replace(/:stateMachine:[^:]+$/, `:express:${sm.name}:${name}:${this.deps.ids.uuid()}`);
    const existing = this.byArn.get(executionArn);
    if (existing) {
      if (existing.status === "RUNNING" && canonicalJson(existing.input) === canonicalJson(input)) return { execution: existing, created: false };
      throw new AwsError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`, { status: 400 });
    }
    const clock = this.deps.clock;
    const execution: ExecutionRecord = {
      seq: this.executions.length + 1,
      executionArn,
      stateMachineArn: sm.arn,
      stateMachineName: sm.name,
      name,
      type: sm.type,
      status: "RUNNING",
      startMs: clock.now(),
      startedAtSeconds: clock.elapsedSeconds(),
      input,
    };
    this.executions.push(execution);
    this.byArn.set(executionArn, execution);
    this.changed(execution);
    if (this.host) {
      try {
        this.host.start({ stateMachineArn: sm.arn, stateMachineName: sm.name, executionArn, name, input: parsedInput });
      } catch (e) {
        this.deps.log(`execution ${name}: the host failed to start it: ${(e as Error)?.message ?? String(e)}`);
        this.executionFinished(executionArn, { status: "FAILED", error: "States.Runtime", cause: `The execution host failed to start the execution: ${(e as Error)?.message ?? String(e)}` });
      }
    }
    return { execution, created: true };
  }

  /** The execution an API call names (InvalidArn / ExecutionDoesNotExist otherwise). Express executions are InvalidArn. */
  execution(arn: unknown, member = "executionArn"): ExecutionRecord {
    if (typeof arn !== "string") throw notNull(member);
    const type = resourceType(arn);
    if (type !== "execution") throw new AwsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${type}'`, { status: 400 });
    const e = this.byArn.get(arn);
    if (!e) throw new AwsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`, { status: 400 });
    return e;
  }

  /** ListExecutions without paging: a Standard state machine's executions, most recent first. */
  listExecutions(stateMachineArn: unknown, statusFilter?: unknown): ExecutionRecord[] {
    const sm = this.stateMachine(stateMachineArn);
    if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw validation(constraintMessage(statusFilter, "statusFilter", `Member must satisfy enum value set: [${[...EXECUTION_STATUSES, "PENDING_REDRIVE"].join(", ")}]`));
    }
    if (sm.type !== "STANDARD") throw new AwsError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine", { status: 400 });
    return this.executions
      .filter((e) => e.stateMachineArn === sm.arn && (statusFilter === undefined || e.status === statusFilter))
      .sort((a, b) => b.startMs - a.startMs || b.seq - a.seq);
  }

  /** StopExecution: ABORTED (and host.stop) if RUNNING; a closed execution is left as it is. */
  stopExecution(arn: unknown, error?: unknown, cause?: unknown): ExecutionRecord {
    const err = optionalString(error, "error", 256);
    const cau = optionalString(cause, "cause", 32_768);
    const e = this.execution(arn);
    if (e.status !== "RUNNING") return e;
    this.close(e, "ABORTED", { error: err, cause: cau });
    if (this.host) {
      try {
        this.host.stop(e.executionArn, err, cau);
      } catch (x) {
        this.deps.log(`execution ${e.name}: the host failed to stop it: ${(x as Error)?.message ?? String(x)}`);
      }
    }
    return e;
  }

  /**
   * The host reports how an execution ended. Returns false (and changes nothing) if the execution
   * is already closed, e.g. stopped while the host was still running it.
   */
  executionFinished(executionArn: string, result: ExecutionResult): boolean {
    const e = this.byArn.get(executionArn);
    if (!e) throw new Error(`executionFinished: no execution ${executionArn}`);
    if (!(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const).includes(result.status)) throw new Error(`executionFinished: ${String(result.status)} is not a terminal status`);
    if (e.status !== "RUNNING") {
      this.deps.log(`execution ${e.name}: reported ${result.status} after it had already ended ${e.status}; ignored`);
      return false;
    }
    const output = result.status === "SUCCEEDED" ? JSON.stringify(result.output ?? null) : undefined;
    this.close(e, result.status, { output, error: result.error, cause: result.cause });
    return true;
  }

  private close(e: ExecutionRecord, status: TerminalStatus, extra: { output?: string; error?: string; cause?: string }): void {
    e.status = status;
    e.stopMs = this.deps.clock.now();
    e.stoppedAtSeconds = this.deps.clock.elapsedSeconds();
    if (extra.output !== undefined) e.output = extra.output;
    if (extra.error !== undefined) e.error = extra.error;
    if (extra.cause !== undefined) e.cause = extra.cause;
    this.changed(e);
  }

  private changed(e: ExecutionRecord): void {
    if (e.type === "STANDARD") this.deps.onStatusChange(e);
    if (e.status !== "RUNNING") {
      for (const resolve of this.closeWaiters.get(e.executionArn) ?? []) resolve(e);
      this.closeWaiters.delete(e.executionArn);
    }
  }

  private readonly closeWaiters = new Map<string, ((e: ExecutionRecord) => void)[]>();

  /** Resolves with the record once the execution is closed (at once if it already is): `.sync` tasks wait on this. */
  whenClosed(executionArn: string): Promise<Readonly<ExecutionRecord>> {
    const e = this.execution(executionArn);
    if (e.status !== "RUNNING") return Promise.resolve(e);
    return new Promise((resolve) => {
      const list = this.closeWaiters.get(executionArn) ?? [];
      list.push(resolve);
      this.closeWaiters.set(executionArn, list);
    });
  }
}

/** The resource type of a Step Functions ARN (`stateMachine`, `execution`, `express`...); InvalidArn if it is not one. */
function resourceType(arn: string): string {
  const m = ARN_RE.exec(arn);
  if (!m) throw new AwsError("InvalidArn", `Invalid Arn: '${arn}'`, { status: 400 });
  return m[4] as string;
}

function checkName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARS.test(name)) throw new AwsError("InvalidName", `Invalid Name: '${name}'`, { status: 400 });
}

function optionalString(v: unknown, member: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new AwsError("SerializationException", `${member} must be a string`, { status: 400 });
  if (v.length > max) throw validation(constraintMessage(`${v.slice(0, 40)}...`, member, `Member must have length less than or equal to ${max}`));
  return v;
}

/** JSON text with object keys sorted, so that inputs differing only in spacing or key order compare equal. */
function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(JSON.parse(text)));
}
