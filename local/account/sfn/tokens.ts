import type { SimClock } from "../../clock.js";
import type { CallbackWorld, TokenOutcome } from "../../runtime/callbacks.js";
import { AwsError, constraintMessage } from "../shared/protocol/errors.js";

/**
 * Task tokens of `.waitForTaskToken` tasks, answered through SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat (API reference: errors InvalidOutput, InvalidToken, TaskDoesNotExist,
 * TaskTimedOut, all HTTP 400; TaskTimedOut = "The task token has either expired or the task
 * associated with the token has already been closed").
 *
 * The local runtime registers a token when a callback task starts (`register`, a promise settled by
 * SendTaskSuccess/Failure) and expires it when the task ends for any reason (`expire`). Our mapping:
 * - a token that is registered and open: SendTask* succeed (the first Success/Failure closes it);
 * - registered, then answered or expired: TaskTimedOut (message as commonly reported for AWS,
 *   "Task Timed Out: 'Provided task does not exist anymore'", not verified here);
 * - never registered with this account: TaskDoesNotExist;
 * - not something Step Functions could have issued (over 1024 characters, the documented token
 *   length, or containing whitespace/control characters): InvalidToken;
 * - empty or over 2048 characters (the API's length constraint): ValidationException.
 */
export type TaskTokenState = "open" | "succeeded" | "failed" | "expired";

export interface TaskTokenRecord {
  token: string;
  registeredAtSeconds: number;
  state: TaskTokenState;
  closedAtSeconds?: number;
  /** Simulated seconds of each accepted SendTaskHeartbeat. */
  heartbeats: number[];
  output?: unknown;
  error?: string;
  cause?: string;
}

interface Entry {
  record: TaskTokenRecord;
  promise: Promise<TokenOutcome>;
  resolve: (o: TokenOutcome) => void;
}

/** Model limit of SendTaskSuccess's output (SensitiveData, 262144 bytes of UTF-8). */
const MAX_OUTPUT_BYTES = 262_144;

export class TaskTokens {
  private readonly entries = new Map<string, Entry>();
  /** Every token ever registered, in registration order. */
  readonly records: TaskTokenRecord[] = [];

  constructor(private readonly clock: SimClock) {}

  /** CallbackWorld.register: starts listening for SendTask* on the token (the same promise if it is already open). */
  register(token: string): Promise<TokenOutcome> {
    const existing = this.entries.get(token);
    if (existing && existing.record.state === "open") return existing.promise;
    let resolve: (o: TokenOutcome) => void = () => undefined;
    const promise = new Promise<TokenOutcome>((r) => {
      resolve = r;
    });
    const record: TaskTokenRecord = { token, registeredAtSeconds: this.clock.elapsedSeconds(), state: "open", heartbeats: [] };
    this.records.push(record);
    this.entries.set(token, { record, promise, resolve });
    return promise;
  }

  /** CallbackWorld.expire: later SendTask* on the token fail with TaskTimedOut. The pending promise stays unsettled. */
  expire(token: string): void {
    const e = this.entries.get(token);
    if (e?.record.state !== "open") return;
    e.record.state = "expired";
    e.record.closedAtSeconds = this.clock.elapsedSeconds();
  }

  get(token: string): TaskTokenRecord | undefined {
    return this.entries.get(token)?.record;
  }

  /** SendTaskSuccess: `output` must be JSON text (InvalidOutput otherwise). */
  succeed(token: unknown, output: unknown): void {
    if (typeof output !== "string") throw new AwsError("ValidationException", "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null", { status: 400 });
    if (Buffer.byteLength(output) > MAX_OUTPUT_BYTES) {
      throw new AwsError("ValidationException", constraintMessage(`${output.slice(0, 40)}...`, "output", `Member must have length less than or equal to ${MAX_OUTPUT_BYTES}`), { status: 400 });
    }
    const e = this.open(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch (err) {
      throw new AwsError("InvalidOutput", `Invalid Output: '${(err as Error).message}'`, { status: 400 });
    }
    this.close(e, "succeeded", { output: parsed });
    e.resolve({ ok: true, output: parsed });
  }

  /** SendTaskFailure: error (<= 256) and cause (<= 32768) are optional; absent ones reach the task as "". */
  fail(token: unknown, error: unknown, cause: unknown): void {
    const err = optionalString(error, "error", 256);
    const cau = optionalString(cause, "cause", 32_768);
    const e = this.open(token);
    this.close(e, "failed", { error: err, cause: cau });
    e.resolve({ ok: false, error: err ?? "", cause: cau ?? "" });
  }

  /** SendTaskHeartbeat: accepted while the token is open. */
  heartbeat(token: unknown): void {
    this.open(token).record.heartbeats.push(this.clock.elapsedSeconds());
  }

  private open(token: unknown): Entry {
    if (typeof token !== "string") throw new AwsError("ValidationException", "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null", { status: 400 });
    if (token.length === 0 || token.length > 2048) {
      throw new AwsError("ValidationException", constraintMessage(token, "taskToken", `Member must have length ${token.length === 0 ? "greater than or equal to 1" : "less than or equal to 2048"}`), { status: 400 });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a task token never contains control characters
    if (token.length > 1024 || /[\s\u0000-\u001f\u007f-\u009f]/.test(token)) throw new AwsError("InvalidToken", "Invalid token", { status: 400 });
    const e = this.entries.get(token);
    if (!e) throw new AwsError("TaskDoesNotExist", "Task Does Not Exist: the token was not issued by this account", { status: 400 });
    if (e.record.state !== "open") throw new AwsError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'", { status: 400 });
    return e;
  }

  private close(e: Entry, state: TaskTokenState, extra: { output?: unknown; error?: string; cause?: string }): void {
    e.record.state = state;
    e.record.closedAtSeconds = this.clock.elapsedSeconds();
    if ("output" in extra) e.record.output = extra.output;
    if (extra.error !== undefined) e.record.error = extra.error;
    if (extra.cause !== undefined) e.record.cause = extra.cause;
  }
}

function optionalString(v: unknown, member: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new AwsError("SerializationException", `${member} must be a string`, { status: 400 });
  if (v.length > max) throw new AwsError("ValidationException", constraintMessage(`${v.slice(0, 40)}...`, member, `Member must have length less than or equal to ${max}`), { status: 400 });
  return v;
}

/** The account as the local runtime's CallbackWorld: tokens, the timeline's next entry, in-flight reactions. */
export function callbackWorld(
  tokens: TaskTokens,
  nextEventAt: () => number | undefined,
  settled: () => Promise<void>,
  awaitExecution?: CallbackWorld["awaitExecution"],
  codebuild?: CallbackWorld["codebuild"],
): CallbackWorld {
  return {
    codebuild,
    register: (token) => tokens.register(token),
    expire: (token) => tokens.expire(token),
    nextEventAt,
    settled,
    awaitExecution,
  };
}
