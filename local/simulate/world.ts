import { fileURLToPath } from "node:url";
import { requestControl } from "../../functions/services/operator-control.js";
import { startExecution, stopExecution } from "../../functions/adapters/sfn.js";
import { useClock } from "../../functions/lib/clock.js";
import { SimAccount } from "../account/index.js";
import { SimClock } from "../clock.js";
import { ensureTable, type LocalDynamoDb, startDynalite } from "../emulators/dynalite.js";
import { type LocalS3, startS3rver } from "../emulators/s3rver.js";
import { type ExecutionReport, LocalRuntime } from "../runtime/runtime.js";
import { withAwsEndpoint } from "./endpoint-env.js";
import { type WiredStack, wireStack } from "./wire-stack.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A simulated account where the stack is deployed: the account served on 127.0.0.1, dynalite for
 * the registry table, the stack's state machines running on the local runtime, its EventBridge
 * rules delivering to our handlers, and the handlers' clock on simulated time. Everything the
 * handlers and the CLI do goes over HTTP with the real wire protocols.
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

export async function openSimWorld(setup: unknown, opts: { root?: string; dynamo?: LocalDynamoDb; timeline?: unknown[]; s3Buckets?: string[] } = {}): Promise<SimWorld> {
  const clock = new SimClock();
  const restoreClock = useClock(() => clock.now());
  const account = SimAccount.fromSetup(setup, { clock });
  if (opts.timeline?.length) account.applyTimeline(opts.timeline);
  const runtime = new LocalRuntime(opts.root ?? ROOT, clock, { world: account.callbacks });
  const tableName = runtime.stack.refs.get("RegistryTable") ?? "stepdeploy-local-registry";
  const dynamo = opts.dynamo ?? (await startDynalite(tableName));
  if (opts.dynamo) await ensureTable(dynamo, tableName);
  const s3 = opts.s3Buckets ? await startS3rver(opts.s3Buckets) : undefined;
  const server = await account.serve();
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
    endpoint: server.endpoint,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    s3,
    within: <T>(fn: () => Promise<T>) =>
      withAwsEndpoint(
        server.endpoint,
        async () => {
          process.env.STEPDEPLOY_TABLE = tableName;
          return fn();
        },
        { simulatedCredentials: true, dynamoDbEndpoint: dynamo.endpoint, s3Endpoint: s3?.endpoint },
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
      await server.close();
      if (!opts.dynamo) await dynamo.close();
      await s3?.close();
    },
  };
  return world;
}
