import type { SimClock } from "../clock.js";
import { IntegrationError } from "./sdk-integrations.js";
import { isWallClock } from "./wall-clock.js";

/**
 * `.waitForTaskToken` in simulated time. The world (the simulated account) resolves tokens when
 * something calls SendTaskSuccess/SendTaskFailure, and tells the runtime when its next scheduled
 * event is, so a waiting task can move the clock straight to that moment, let the world react
 * (`settled`), and look again, without sleeping.
 */
export type TokenOutcome = { ok: true; output: unknown } | { ok: false; error: string; cause: string };

export interface CallbackWorld {
  /** Starts listening for SendTask* on `token`. */
  register(token: string): Promise<TokenOutcome>;
  /** The token is no longer valid (task ended or timed out). */
  expire(token: string): void;
  /** Simulated second (clock.elapsedSeconds) of the next scheduled world event, if any. */
  nextEventAt(): number | undefined;
  /** Resolves once every reaction the world started (event deliveries, listeners) has finished. */
  settled(): Promise<void>;
  /** `.sync` nested executions: resolves when the account's execution is closed. */
  awaitExecution?(executionArn: string): Promise<ClosedExecution>;
  /** `codebuild:startBuild.sync`: the account's CodeBuild (StartBuild, then the build once complete). */
  codebuild?: BuildService;
}

/** What `codebuild:startBuild.sync` needs of CodeBuild (local/account/codebuild/world.ts). */
export interface BuildService {
  startBuild(input: Record<string, unknown>): { id: string };
  whenDone(id: string): Promise<Record<string, unknown> & { buildStatus: string }>;
}

/** How a nested execution ended, as DescribeExecution reports it (output/input are JSON text). */
export interface ClosedExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startMs: number;
  stopMs?: number;
}

export const TASK_TOKEN_PLACEHOLDER = "__stepdeploy_task_token__";

export function substituteToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => substituteToken(v, token));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteToken(v, token)]));
  return value;
}

/** Lets every reaction the world started finish, then yields once to the engine. */
async function quiet(world: CallbackWorld): Promise<void> {
  await world.settled();
  await new Promise<void>((r) => setImmediate(r));
}

/**
 * One step of the shared scheduler for a waiting execution: while another execution works, wait (wall
 * time) and move nothing ("waited"); otherwise move time to the next world event or `deadline`,
 * whichever comes first ("moved"), or report that there is nothing to move to ("idle").
 */
async function stepTowards(clock: SimClock, world: CallbackWorld, deadline: number): Promise<"waited" | "moved" | "idle"> {
  if (clock.workingCount > 0) {
    // Another execution is mid-step: let it reach its own wait before time moves.
    await new Promise<void>((r) => setTimeout(r, 1));
    return "waited";
  }
  const next = world.nextEventAt();
  const target = Math.min(deadline, next !== undefined && next > clock.elapsedSeconds() ? next : Number.POSITIVE_INFINITY);
  if (target === Number.POSITIVE_INFINITY) return "idle";
  clock.advance(target - clock.elapsedSeconds());
  return "moved";
}

/** Sleeps until `targetSeconds` (clock.elapsedSeconds) in simulated time, cooperatively (a Wait state). */
export async function sleepUntil(clock: SimClock, world: CallbackWorld, targetSeconds: number): Promise<void> {
  if (!(targetSeconds > clock.elapsedSeconds())) return;
  if (isWallClock(clock)) return wallSleep(targetSeconds - clock.elapsedSeconds());
  const releaseHorizon = clock.horizon(targetSeconds - clock.elapsedSeconds());
  try {
    for (;;) {
      await quiet(world);
      if (clock.elapsedSeconds() >= targetSeconds) return;
      await stepTowards(clock, world, targetSeconds);
    }
  } finally {
    releaseHorizon();
  }
}

/** Waits for `outcome` while advancing the clock from world event to world event, up to `timeoutSeconds`. */
export async function awaitToken(clock: SimClock, world: CallbackWorld, token: string, outcome: Promise<TokenOutcome>, timeoutSeconds: number | undefined): Promise<unknown> {
  if (isWallClock(clock)) return answered(await awaitTokenInWallTime(world, token, outcome, timeoutSeconds));
  let settled: TokenOutcome | undefined;
  void outcome.then((o) => {
    settled = o;
  });
  const deadline = timeoutSeconds === undefined ? Number.POSITIVE_INFINITY : clock.elapsedSeconds() + timeoutSeconds;
  // Executions share one clock: while this task waits, nobody may move time past its timeout (another
  // execution's longer wait stops there, lets this one time out, and goes on). A cooperative scheduler.
  const releaseHorizon = timeoutSeconds === undefined ? () => undefined : clock.horizon(timeoutSeconds);
  try {
    for (;;) {
      await quiet(world);
      if (settled) break;
      const step = await stepTowards(clock, world, deadline);
      if (step === "idle") {
        // Nothing scheduled and no timeout: only an outside actor (or another execution) can answer.
        settled = await outcome;
        break;
      }
      if (step === "moved" && clock.elapsedSeconds() >= deadline) {
        await quiet(world);
        if (!settled) throw new IntegrationError("States.Timeout", `Task timed out after ${timeoutSeconds} seconds`);
      }
    }
  } finally {
    releaseHorizon();
    world.expire(token);
  }
  return answered(settled as TokenOutcome);
}

function answered(o: TokenOutcome): unknown {
  if (o.ok) return o.output;
  throw new IntegrationError(o.error, o.cause);
}

function wallSleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds) * 1000));
}

/** Real time (`run --real-time`): the answer, or States.Timeout when the task's timeout passes first on the wall clock. */
async function awaitTokenInWallTime(world: CallbackWorld, token: string, outcome: Promise<TokenOutcome>, timeoutSeconds: number | undefined): Promise<TokenOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<TokenOutcome>((resolve) => {
    if (timeoutSeconds === undefined) return;
    timer = setTimeout(() => resolve({ ok: false, error: "States.Timeout", cause: `Task timed out after ${timeoutSeconds} seconds` }), timeoutSeconds * 1000);
  });
  try {
    return await Promise.race([outcome, timedOut]);
  } finally {
    clearTimeout(timer);
    world.expire(token);
  }
}
