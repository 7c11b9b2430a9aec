import { fileURLToPath } from "node:url";
import { continueDeployment } from "../../functions/services/ecs/continue.js";
import { requestControl } from "../../functions/services/operator-control.js";
import { type BackoffClock, useBackoffClock } from "../../functions/adapters/backoff.js";
import { useTransport } from "../../functions/adapters/clients.js";
import { startExecution, stopExecution } from "../../functions/adapters/sfn.js";
import { useClock } from "../../functions/lib/clock.js";
import { SimAccount } from "../account/index.js";
import { SimClock } from "../clock.js";
import { ensureTable, type LocalDynamoDb, startDynalite } from "../emulators/dynalite.js";
import { type LocalS3, startS3rver } from "../emulators/s3rver.js";
import { type ExecutionReport, LocalRuntime } from "../runtime/runtime.js";
import { withAwsEndpoint } from "./endpoint-env.js";
import { LOCAL_NETWORK, joinNetwork } from "./network.js";
import { type WiredStack, wireStack } from "./wire-stack.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A simulated account where the stack is deployed: the account, dynalite for the registry table,
 * the stack's state machines running on the local runtime, its EventBridge rules delivering to our
 * handlers, and the handlers' clock on simulated time. Every SDK client in the process talks to
 * the account in-process through the SDK's request-handler seam (the transport installed with
 * `useTransport`, functions/adapters/clients.ts): real serialization, validation, retries and error
 * parsing, no socket, and no SigV4 signature (the account and dynalite do not check one; UnsignedHosts in
 * clients.ts). dynalite and s3rver keep their own servers on 127.0.0.1.
 */
export interface SimWorld {
  account: SimAccount;
  clock: SimClock;
  runtime: LocalRuntime;
  wired: WiredStack;
  endpoint: string;
  dynamoEndpoint: string;
  tableName: string;
  /** s3rver with the setup's buckets, when the world was opened with `s3Buckets` (releases). */
  s3?: LocalS3;
  /** Runs `fn` with the AWS environment pointed at this world. */
  within<T>(fn: () => Promise<T>): Promise<T>;
  /** StartExecution through the account's Step Functions API (call inside `within`). */
  startDeployment(input: Record<string, unknown>, machine?: string): Promise<{ executionArn: string; finished: Promise<ExecutionReport> }>;
  close(): Promise<void>;
}

/** How the world's SDK clients reach the account and dynalite: in-process (the default) or over HTTP on 127.0.0.1. */
export type WorldTransport = "in-process" | "http";

export interface SimWorldOptions {
  root?: string;
  /** A running dynalite to reuse (the registry table is created in it if missing); otherwise one per world. */
  dynamo?: LocalDynamoDb;
  timeline?: unknown[];
  /** Start s3rver with these buckets (releases). */
  s3Buckets?: string[];
  transport?: WorldTransport;
}

export async function openSimWorld(setup: unknown, opts: SimWorldOptions = {}): Promise<SimWorld> {
  const clock = new SimClock();
  // A bad setup or timeline is refused before anything starts or changes in the process.
  const account = SimAccount.fromSetup(setup, { clock });
  if (opts.timeline?.length) account.applyTimeline(opts.timeline);
  const runtime = new LocalRuntime(opts.root ?? ROOT, clock, { world: account.callbacks });
  const tableName = runtime.stack.refs.get("RegistryTable") ?? "stepdeploy-local-registry";
  const dynamo = opts.dynamo ?? (await startDynalite(tableName));
  let s3: LocalS3 | undefined;
  try {
    if (opts.dynamo) await ensureTable(dynamo, tableName);
    s3 = opts.s3Buckets ? await startS3rver(opts.s3Buckets) : undefined;
  } catch (e) {
    if (!opts.dynamo) await dynamo.close();
    throw e;
  }
  const restoreClock = useClock(() => clock.now());
  const restoreBackoff = useBackoffClock(SIMULATED_BACKOFF);
  const { endpoint, dynamoEndpoint, disconnect } = await connect(opts.transport ?? "in-process", account, dynamo);
  // The stack's own resources exist in the account, as after `osls deploy`.
  const bus = runtime.stack.refs.get("StepDeployEventBus");
  if (bus) account.createEventBus(bus);
  const wired = wireStack(account, runtime);
  const deployments = new Map<string, string>();
  // Operator actions a scenario can script: the same calls the CLI makes.
  for (const intent of ["stop", "stop-no-rollback", "pause", "resume", "promote"] as const) {
    account.onAction(intent, async (item) => {
      const id = (item.input as { deploymentId?: string } | undefined)?.deploymentId ?? [...deployments.keys()].at(-1);
      if (!id) return;
      // An operator whose command fails (throttled, 5xx) runs it again.
      for (let attempt = 1; ; attempt++) {
        try {
          await world.within(() => requestControl(id, intent, "scenario"));
          return;
        } catch (e) {
          if (attempt >= 5) throw e;
        }
      }
    });
  }
  // ECS: `stepdeploy continue <id>` ends the ready wait, `--termination-wait` the termination wait.
  for (const [action, terminationWait] of [["continue", false], ["continue-termination-wait", true]] as const) {
    account.onAction(action, async (item) => {
      const id = (item.input as { deploymentId?: string } | undefined)?.deploymentId ?? [...deployments.keys()].at(-1);
      if (id) await world.within(() => continueDeployment(id, { terminationWait }));
    });
  }
  account.onAction("abort", async (item) => {
    const id = (item.input as { deploymentId?: string } | undefined)?.deploymentId ?? [...deployments.keys()].at(-1);
    const arn = id ? deployments.get(id) : undefined;
    if (arn) await world.within(() => stopExecution(arn, "Simulate.Aborted", "execution aborted by the scenario"));
  });
  const world: SimWorld = {
    account,
    clock,
    runtime,
    wired,
    endpoint,
    dynamoEndpoint,
    tableName,
    s3,
    within: <T>(fn: () => Promise<T>) =>
      withAwsEndpoint(
        endpoint,
        async () => {
          process.env.STEPDEPLOY_TABLE = tableName;
          return fn();
        },
        { simulatedCredentials: true, dynamoDbEndpoint: dynamoEndpoint, s3Endpoint: s3?.endpoint },
      ),
    async startDeployment(input, machine = "deploy-lambda") {
      const sm = runtime.stack.stateMachines.find((m) => m.machine === machine);
      if (!sm) throw new Error(`no state machine ${machine} in serverless.yml`);
      const name = String(input.deploymentId);
      const { executionArn } = await startExecution(sm.arn, name, input);
      deployments.set(name, executionArn);
      const finished = wired.finished(executionArn).then(async (r) => {
        // Let the world finish reacting (the janitor on a dead execution, late listeners).
        await account.callbacks.settled();
        return r;
      });
      return { executionArn, finished };
    },
    async close() {
      wired.dispose();
      restoreClock();
      restoreBackoff();
      await disconnect();
      if (!opts.dynamo) await dynamo.close();
      await s3?.close();
    },
  };
  return world;
}

/**
 * The SDK's retry back-off in a simulated world (functions/adapters/backoff.ts): the SDK still decides what is
 * retried, and the wait between attempts takes no time, wall or simulated. The simulated timeline has always
 * treated one SDK call with its retries as one instant (test/workflows/steps.test.ts: three throttles absorbed by
 * the SDK at 0 s, the task's ASL Retry 2 s later); this keeps that, without sleeping the back-off in wall time.
 */
const SIMULATED_BACKOFF: BackoffClock = { wait: async () => undefined, jitter: () => 0.5 };

/**
 * In-process: every SDK client of the process gets the shared in-process network as its transport
 * (functions/adapters/clients.ts) and the world's account and dynalite are served on it. HTTP: the
 * account listens on 127.0.0.1 and clients use the SDK's default transport.
 */
async function connect(transport: WorldTransport, account: SimAccount, dynamo: LocalDynamoDb): Promise<{ endpoint: string; dynamoEndpoint: string; disconnect(): Promise<void> }> {
  if (transport === "http") {
    const served = await account.serve();
    return { endpoint: served.endpoint, dynamoEndpoint: dynamo.endpoint, disconnect: () => served.close() };
  }
  const restoreTransport = useTransport(LOCAL_NETWORK);
  const slot = joinNetwork();
  return {
    endpoint: slot.serve("account", account.route),
    dynamoEndpoint: slot.serve("dynamodb", dynamo.inProcess),
    disconnect: async () => {
      restoreTransport();
      slot.leave();
    },
  };
}
