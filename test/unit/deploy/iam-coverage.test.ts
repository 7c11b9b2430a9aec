// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is serverless.yml / CloudFormation syntax
/**
 * The deployment functions' roles in serverless.yml against what their handlers really call. Each handler
 * runs, on the paths that reach every AWS call it can make (first run, repeats, conflicts, alarms, pending
 * operator requests, the queue, lock hand-over and crash repair, another writer on the alias), against
 * dynalite for the registry table and mocked Step Functions / CloudWatch / Lambda / EventBridge clients.
 * Every call is recorded as an IAM action, with "index" when a DynamoDB request names an index.
 *
 * Both directions are asserted: every call is granted by the function's own role (no AccessDenied in
 * production), and every granted action is used by some path (least privilege).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand, DeleteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, PreconditionFailedException, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { memoryIO } from "../../../cli/io.js";
import { main as cli } from "../../../cli/main.js";
import { dynamoDbClient, registryCreateTableInput } from "../../../functions/adapters/dynamodb-registry.js";
import type { PreparedDeployment } from "../../../functions/domain/deployment/state.js";
import { cursorAfter } from "../../../functions/domain/deployment/cursor.js";
import { handler as alarmListener } from "../../../functions/handlers/alarmListener.js";
import { handler as checkBake } from "../../../functions/handlers/checkBake.js";
import { handler as closeUnstarted } from "../../../functions/handlers/closeUnstarted.js";
import { handler as finalize } from "../../../functions/handlers/finalize.js";
import { handler as holdPaused } from "../../../functions/handlers/holdPaused.js";
import { handler as janitor } from "../../../functions/handlers/janitor.js";
import { handler as rollBack } from "../../../functions/handlers/rollBack.js";
import { handler as runHook } from "../../../functions/handlers/runHook.js";
import { handler as shiftTraffic } from "../../../functions/handlers/shiftTraffic.js";
import { handler as start } from "../../../functions/handlers/start.js";
import { handler as watchBake } from "../../../functions/handlers/watchBake.js";
import { watcherView } from "../../../functions/services/bake.js";
import { registry } from "../../../functions/wiring.js";
import { ROOT } from "./package-fixture.js";

type Fn = "start" | "closeUnstarted" | "runHook" | "shiftTraffic" | "watchBake" | "checkBake" | "holdPaused" | "rollBack" | "finalize" | "alarmListener" | "janitor";
const FNS: Fn[] = ["start", "closeUnstarted", "runHook", "shiftTraffic", "watchBake", "checkBake", "holdPaused", "rollBack", "finalize", "alarmListener", "janitor"];
type Caller = Fn | "operator";

/** `<action>@<resource kind>` per caller, recorded while that handler (or the operator CLI) runs. */
const used = new Map<Caller, Set<string>>([...FNS, "operator" as const].map((f) => [f, new Set<string>()]));
let running: Caller | undefined;
const record = (action: string, on: string) => {
  if (running) used.get(running)?.add(`${action}@${on}`);
};
async function as<T>(fn: Caller, work: () => Promise<T>): Promise<T> {
  running = fn;
  try {
    return await work();
  } finally {
    running = undefined;
  }
}
/** Whether `call` (`action@kind`) is covered by `grants`: same kind, Resource "*", or every index ("index:*"). */
const isGranted = (grants: Set<string>, call: string): boolean => {
  const [action, kind] = call.split("@") as [string, string];
  return grants.has(call) || grants.has(`${action}@*`) || (kind.startsWith("index:") && grants.has(`${action}@index:*`));
};
const settle = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: Error) => e.name,
  );

// ------------------------------------------------------------------------------ the registry on dynalite

interface DynaliteServer {
  listen(port: number, host: string, cb: (err?: Error) => void): void;
  address(): AddressInfo | string | null;
  close(cb: (err?: Error) => void): void;
}
const dynalite = createRequire(import.meta.url)("dynalite") as (o: Record<string, number>) => DynaliteServer;
let server: DynaliteServer;
const savedEnv = { endpoint: process.env.AWS_ENDPOINT_URL, table: process.env.STEPDEPLOY_TABLE, watcher: process.env.BAKE_WATCHER_STATE_MACHINE_ARN };
const TABLE = "stepdeploy-iam-coverage";
const WATCHER = "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-dev-bake-watcher";

// ------------------------------------------------------------------------------ the other services, mocked
const alarmStates = new Map<string, string>();
/** The account's aliases (function:alias -> version, weights, revision), as Lambda keeps them. */
const aliases = new Map<string, { FunctionVersion: string; Weights: Record<string, number>; RevisionId: string }>();
let revisions = 0;
const stubs: Array<Pick<AwsStub<never, never, never>, "restore">> = [];
const targetOrHook = (name: string) => (name.includes("CodeDeployHook_") ? "hook" : "target");

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.STEPDEPLOY_TABLE = TABLE;
  process.env.BAKE_WATCHER_STATE_MACHINE_ARN = WATCHER;
  const ddb: DynamoDBClient = dynamoDbClient(); // the cached client every handler uses for this endpoint
  await ddb.send(new CreateTableCommand(registryCreateTableInput(TABLE)));
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string };
      record(`dynamodb:${String(context.commandName).replace(/Command$/, "")}`, input.IndexName ? `index:${input.IndexName}` : "table");
      return next(args);
    },
    { step: "initialize", name: "iamCoverageRecorder" },
  );

  const sfn = mockClient(SFNClient);
  const recorded =
    <T>(action: string, on: string, output: T) =>
    (): T => {
      record(action, on);
      return output;
    };
  sfn.on(SendTaskSuccessCommand).callsFake(recorded("states:SendTaskSuccess", "*", {}));
  sfn.on(SendTaskFailureCommand).callsFake(recorded("states:SendTaskFailure", "*", {}));
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => {
    record("states:StartExecution", input.stateMachineArn === WATCHER ? "bakeWatcher" : "stateMachine");
    return { executionArn: `${input.stateMachineArn.replace(":stateMachine:", ":execution:")}:${input.name}`, startDate: new Date() };
  });
  sfn.on(DescribeExecutionCommand).callsFake(recorded("states:DescribeExecution", "execution", { status: "RUNNING" }));
  const cw = mockClient(CloudWatchClient);
  cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => {
    record("cloudwatch:DescribeAlarms", "*");
    return { MetricAlarms: (input.AlarmNames ?? []).map((n) => ({ AlarmName: n, StateValue: alarmStates.get(n) ?? "OK" })), CompositeAlarms: [] };
  });
  cw.on(GetMetricDataCommand).callsFake(recorded("cloudwatch:GetMetricData", "*", { MetricDataResults: [] }));
  const lambda = mockClient(LambdaClient);
  const aliasOut = (key: string) => {
    const a = aliases.get(key) ?? { FunctionVersion: "3", Weights: {}, RevisionId: "rev-0" };
    return { AliasArn: `arn:aws:lambda:us-east-1:123456789012:function:${key}`, FunctionVersion: a.FunctionVersion, RoutingConfig: { AdditionalVersionWeights: a.Weights }, RevisionId: a.RevisionId };
  };
  lambda.on(GetAliasCommand).callsFake((input: { FunctionName: string; Name: string }) => {
    record("lambda:GetAlias", "target");
    return aliasOut(`${input.FunctionName}:${input.Name}`);
  });
  lambda.on(UpdateAliasCommand).callsFake((input: { FunctionName: string; Name: string; FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> }; RevisionId?: string }) => {
    record("lambda:UpdateAlias", "target");
    const key = `${input.FunctionName}:${input.Name}`;
    if (input.RevisionId !== aliasOut(key).RevisionId) throw new PreconditionFailedException({ message: "The Revision Id provided does not match the latest Revision Id.", $metadata: { httpStatusCode: 412 } });
    aliases.set(key, { FunctionVersion: input.FunctionVersion, Weights: input.RoutingConfig?.AdditionalVersionWeights ?? {}, RevisionId: `rev-${++revisions}` });
    return aliasOut(key);
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName: string; Qualifier?: string }) => {
    record("lambda:GetFunctionConfiguration", targetOrHook(input.FunctionName));
    return { Version: input.Qualifier ?? "$LATEST", FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${input.FunctionName}` };
  });
  lambda.on(InvokeCommand).callsFake((input: { FunctionName: string }) => {
    record("lambda:InvokeFunction", targetOrHook(input.FunctionName));
    return { StatusCode: 200, Payload: new TextEncoder().encode('{"status":"Succeeded"}') };
  });
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).callsFake(recorded("events:PutEvents", "bus", { FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] }));
  // Group deployments read their S3 revision (pinned: GetObject with VersionId needs s3:GetObjectVersion).
  const s3 = mockClient(S3Client);
  s3.on(GetObjectCommand).callsFake((input: { VersionId?: string }) => {
    record(input.VersionId ? "s3:GetObjectVersion" : "s3:GetObject", "revisions");
    throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
  });
  stubs.push(sfn, cw, lambda, events, s3);
});

afterAll(async () => {
  for (const s of stubs) s.restore();
  for (const [k, v] of [
    ["AWS_ENDPOINT_URL", savedEnv.endpoint],
    ["STEPDEPLOY_TABLE", savedEnv.table],
    ["BAKE_WATCHER_STATE_MACHINE_ARN", savedEnv.watcher],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

// ------------------------------------------------------------------------------ inputs

let seq = 0;
const nextId = () => `d-IAM${String(++seq).padStart(6, "0")}`;
const execArn = (id: string) => `arn:aws:states:us-east-1:123456789012:execution:stepdeploy-dev-deploy-lambda:${id}`;
/** A deploy-lambda input on `fn`:live (one function per scenario, so each has its own lock). */
const input = (id: string, fn: string, extra: Record<string, unknown> = {}) => ({
  deploymentId: id,
  application: "orders-app",
  deploymentGroup: "orders-prod",
  functionName: fn,
  alias: "live",
  targetVersion: "4",
  deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  hooks: { beforeAllowTraffic: "CodeDeployHook_pre" },
  alarms: ["orders-errors"],
  ...extra,
});
const startEvent = (id: string, fn: string, extra: Record<string, unknown> = {}, token = `token-${id}`) => ({ input: input(id, fn, extra), executionName: id, executionArn: execArn(id), taskToken: token });
/** Runs Start and takes the prepared deployment out of its own token's answer (read back from the SFN mock's calls). */
let prepared: PreparedDeployment | undefined;
async function started(id: string, fn: string, extra: Record<string, unknown> = {}): Promise<PreparedDeployment> {
  prepared = undefined;
  const sfn = stubs[0] as unknown as AwsStub<never, never, never> & { commandCalls(c: unknown): { args: [{ input: { output?: string } }] }[] };
  await as("start", () => start(startEvent(id, fn, extra)));
  const answers = sfn.commandCalls(SendTaskSuccessCommand);
  prepared = JSON.parse(answers.at(-1)?.args[0].input.output ?? "{}") as PreparedDeployment;
  expect(prepared.deployment.deploymentId).toBe(id);
  return prepared;
}
/** Deletes a target's lock behind the registry's back: a crash between a release's delete and its settle. */
const dropLock = (fn: string) =>
  dynamoDbClient().send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: `TARGET#arn:aws:lambda:us-east-1:123456789012:function:${fn}:live` }, sk: { S: "LOCK" } } }));
const FAILURE = { error: "Deploy.AlarmTriggered", reason: "alarm orders-errors is in ALARM", state: "STOP", rollback: true } as const;
const OUTCOME = { ...FAILURE, eventFields: { state: "STOP" as const, reason: FAILURE.reason, rollback: true, error: FAILURE.error } };

// ------------------------------------------------------------------------------ the roles in serverless.yml

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
/** `<action>@<resource kind>` granted by the role of `fn`, read from serverless.yml as written. */
function granted(fn: Fn): Set<string> {
  const doc = parse(readFileSync(path.join(ROOT, "serverless.yml"), "utf8")) as {
    functions: Record<string, { role: string }>;
    resources: { Resources: Record<string, { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } }> };
  };
  const roleId = doc.functions[fn]?.role;
  const role = roleId ? doc.resources.Resources[roleId] : undefined;
  if (!role) throw new Error(`${fn}: no role in serverless.yml`);
  const kind = (r: unknown): string => {
    const text = JSON.stringify(r);
    if (r === "*") return "*";
    if (text === JSON.stringify({ "Fn::GetAtt": ["RegistryTable", "Arn"] })) return "table";
    if (text.includes("RegistryTable") && text.includes("/index/")) return `index:${/\/index\/([^"]+)"/.exec(text)?.[1]}`;
    if (text.includes("${param:targetFunctionPattern}")) return "target";
    if (text.includes("${param:hookFunctionPattern}")) return "hook";
    if (text === JSON.stringify({ Ref: "BakeWatcherStateMachine" })) return "bakeWatcher";
    if (text === JSON.stringify({ "Fn::GetAtt": ["StepDeployEventBus", "Arn"] })) return "bus";
    if (text.includes("LogGroup")) return "logs";
    if (text.includes("groups.cjs):revisionObjectArns")) return "revisions";
    return `other:${text}`;
  };
  const out = new Set<string>();
  for (const p of role.Properties.Policies) {
    for (const st of p.PolicyDocument.Statement) {
      if (st.Effect !== "Allow") continue;
      const resources = (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(kind);
      for (const a of Array.isArray(st.Action) ? st.Action : [st.Action]) for (const r of resources) out.add(`${a}@${r}`);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ the paths

describe("IAM coverage: the deployment handlers against their roles", () => {
  beforeAll(async () => {
    const reg = registry();
    // start: a free target (reads the account, records, locks, answers its token); a repeat; a busy target.
    const a = nextId();
    const p = await started(a, "orders");
    expect(await settle(as("start", () => start(startEvent(a, "orders", {}, "token-again"))))).toBe("ok");
    const b = nextId();
    expect(await settle(as("start", () => start(startEvent(b, "orders"))))).toBe("Deploy.ConflictingDeployment");
    // closeUnstarted: the conflicting one is recorded Failed.
    expect(await settle(as("closeUnstarted", () => closeUnstarted({ input: input(b, "orders"), executionName: b, failure: { Error: "Deploy.ConflictingDeployment", Cause: "busy" } })))).toBe("ok");

    // runHook: the alarms, then the hook.
    expect(await settle(as("runHook", () => runHook({ deployment: p.deployment, lifecycleEvent: "BeforeAllowTraffic" })))).toBe("ok");
    // shiftTraffic: the first step (record, alarms, UpdateAlias, GetAlias, progress).
    const cursor = (await as("shiftTraffic", () => shiftTraffic({ deployment: p.deployment, plan: p.plan, cursor: p.cursor }))) as PreparedDeployment["cursor"];

    // watchBake: a quiet bake; one that finds its alarm firing; one that applies a promote recorded earlier; a polled one (the watcher).
    const bake = (token: string, c = cursor) => as("watchBake", () => watchBake({ deployment: p.deployment, cursor: c, taskToken: token }));
    expect(await settle(bake(`bake-${a}`))).toBe("ok");
    // alarmListener: that alarm fires while the bake waits (Query the watches, fail the token).
    const alarmEvent = { source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", account: "123456789012", region: "us-east-1", detail: { alarmName: "orders-errors", state: { value: "ALARM" } } };
    expect(await settle(as("alarmListener", () => alarmListener(alarmEvent)))).toBe("ok");
    alarmStates.set("orders-errors", "ALARM");
    expect(await settle(bake(`bake2-${a}`))).toBe("Deploy.AlarmTriggered");
    alarmStates.clear();
    await reg.requestControl(a, { intent: "promote", by: "alice" });
    expect(await settle(bake(`bake3-${a}`))).toBe("ok");
    const polled = { ...p.deployment, alarmMonitoring: "polling" as const };
    expect(await settle(as("watchBake", () => watchBake({ deployment: polled, cursor: { ...cursor, watcher: true }, taskToken: `bake4-${a}` })))).toBe("ok");

    // checkBake: a poll that finds the alarm firing; gates (GetMetricData) with no data set to pause; the end of a bake; a hand-over after 500 checks.
    const gate = { name: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: {}, stat: "Sum" }, threshold: 1, comparison: "GreaterThanThreshold" as const, intervalSeconds: 60, failureLimit: 1, noData: "pause" as const };
    const watch = (token: string, over: Partial<Record<string, unknown>> = {}) => ({ token, endsAtMs: Date.now() + 600_000, sleepSeconds: 60, gateFailures: [], checks: 0, part: 0, over: false, ...over });
    const check = (d: ReturnType<typeof watcherView>, w: ReturnType<typeof watch>) => as("checkBake", () => checkBake({ deployment: d, watch: w as never, executionName: "d-x-s0-abc" }));
    alarmStates.set("orders-errors", "ALARM");
    expect(await settle(check(watcherView(polled), watch(`bake4-${a}`)))).toBe("ok");
    alarmStates.clear();
    const c = nextId();
    const pc = await started(c, "orders-gated");
    await as("watchBake", () => watchBake({ deployment: pc.deployment, cursor: { ...pc.cursor, bakeSeconds: 300, watcher: true }, taskToken: `bake-${c}` }));
    expect(await settle(check(watcherView({ ...pc.deployment, metricGates: [gate] }), watch(`bake-${c}`)))).toBe("ok");
    await reg.requestControl(c, { intent: "resume", by: "bob" }); // the gate paused it
    await as("watchBake", () => watchBake({ deployment: pc.deployment, cursor: { ...pc.cursor, bakeSeconds: 300, watcher: true }, taskToken: `bake2-${c}` }));
    expect(await settle(check(watcherView({ ...pc.deployment, alarmMonitoring: "polling" }), watch(`bake2-${c}`, { endsAtMs: 0 })))).toBe("ok");
    await as("watchBake", () => watchBake({ deployment: pc.deployment, cursor: { ...pc.cursor, bakeSeconds: 300, watcher: true }, taskToken: `bake3-${c}` }));
    expect(await settle(check(watcherView(pc.deployment), watch(`bake3-${c}`, { checks: 499 })))).toBe("ok");

    // holdPaused: a resume that arrived before the pause opened; an alarm firing while paused.
    await reg.requestControl(c, { intent: "resume", by: "bob" });
    const hold = () => as("holdPaused", () => holdPaused({ deployment: pc.deployment, cursor: pc.cursor, pause: { Cause: JSON.stringify({ remainingSeconds: 120 }) }, taskToken: `pause-${c}` }));
    expect(await settle(hold())).toBe("ok");
    alarmStates.set("orders-errors", "ALARM");
    expect(await settle(hold())).toBe("Deploy.AlarmTriggered");
    alarmStates.clear();

    // rollBack: restores with the last revision; after another writer, reads and leaves it.
    expect(await settle(as("rollBack", () => rollBack({ deployment: p.deployment, plan: p.plan, cursor, outcome: OUTCOME })))).toBe("ok");
    aliases.set("orders:live", { FunctionVersion: "2", Weights: {}, RevisionId: "someone-else" });
    expect(await as("rollBack", () => rollBack({ deployment: p.deployment, plan: p.plan, cursor, outcome: OUTCOME }))).toMatchObject({ rollback: false });

    // The queue: q waits behind a (queue entry, sequence, its token); finalize(a) hands the lock over and wakes it.
    const q = nextId();
    expect(await as("start", () => start(startEvent(q, "orders", { queue: true, targetVersion: "5" })))).toEqual({ waiting: true });
    expect(await settle(as("finalize", () => finalize({ deployment: p.deployment })))).toBe("ok");
    expect(await settle(as("finalize", () => finalize({ deployment: p.deployment })))).toBe("ok"); // a retry
    expect((await reg.getLock({ lockKey: p.deployment.lockKey }))?.holderDeploymentId).toBe(q);
    // q runs Start again: the lock is its own (its queue entry is cleaned up), it prepares.
    aliases.set("orders:live", { FunctionVersion: "4", Weights: {}, RevisionId: "rev-q" });
    expect(await settle(as("start", () => start(startEvent(q, "orders", { queue: true, targetVersion: "5" }, "token-q2"))))).toBe("ok");
    // A queued deployment whose holder's lock vanished (a crash) takes it at its hourly re-check (its queue entry goes).
    const r1 = nextId();
    const r2 = nextId();
    await started(r1, "orders-race");
    expect(await as("start", () => start(startEvent(r2, "orders-race", { queue: true })))).toEqual({ waiting: true });
    await dropLock("orders-race");
    expect(await settle(as("start", () => start(startEvent(r2, "orders-race", { queue: true }, "token-r2b"))))).toBe("ok");

    // finalize repairs a target whose lock is gone while someone waits (a crash between delete and settle).
    const d = nextId();
    const e = nextId();
    const pd = await started(d, "orders-crash");
    expect(await as("start", () => start(startEvent(e, "orders-crash", { queue: true })))).toEqual({ waiting: true });
    await dropLock("orders-crash");
    expect(await settle(as("finalize", () => finalize({ deployment: pd.deployment, outcome: FAILURE })))).toBe("ok");
    expect((await reg.getLock({ lockKey: pd.deployment.lockKey }))?.holderDeploymentId).toBe(e);

    // closeUnstarted: a queued deployment stopped in line leaves the queue; a holder rejected after the wait hands the lock on.
    const f = nextId();
    const g = nextId();
    const pf = await started(f, "orders-leave");
    expect(await as("start", () => start(startEvent(g, "orders-leave", { queue: true })))).toEqual({ waiting: true });
    const h = nextId();
    expect(await as("start", () => start(startEvent(h, "orders-leave", { queue: true })))).toEqual({ waiting: true });
    expect(await settle(as("closeUnstarted", () => closeUnstarted({ input: input(h, "orders-leave"), executionName: h, failure: { Error: "Deploy.Stopped", Cause: "stopped in line" } })))).toBe("ok");
    await reg.markStopped(f, "Deploy.Stopped", "x"); // f's record final, its lock still held (its finalize crashed)
    expect(await settle(as("closeUnstarted", () => closeUnstarted({ input: input(f, "orders-leave"), executionName: f, failure: { Error: "Deploy.VersionMismatch", Cause: "stale" } })))).toBe("ok");
    expect((await reg.getLock({ lockKey: pf.deployment.lockKey }))?.holderDeploymentId).toBe(g);
    // ... and one whose lock vanished with a queue behind (settle: UpdateItem).
    const k = nextId();
    expect(await as("start", () => start(startEvent(k, "orders-leave", { queue: true })))).toEqual({ waiting: true });
    await dropLock("orders-leave");
    expect(await settle(as("closeUnstarted", () => closeUnstarted({ input: input(g, "orders-leave"), executionName: g, failure: { Error: "Deploy.Stopped", Cause: "x" } })))).toBe("ok");

    // janitor: an execution aborted mid-bake with a deployment queued behind it (restore, record, release, notify);
    // the same with the lock already gone; one whose alias another writer changed; one that ended cleanly; one unknown.
    const status = (id: string, s: string) => ({ detail: { executionArn: execArn(id), name: id, status: s }, region: "us-east-1" });
    for (const [fn, crashed] of [
      ["orders-janitor", false],
      ["orders-janitor-crash", true],
    ] as const) {
      const dead = nextId();
      const next = nextId();
      const pj = await started(dead, fn);
      await as("shiftTraffic", () => shiftTraffic({ deployment: pj.deployment, plan: pj.plan, cursor: pj.cursor }));
      await as("watchBake", () => watchBake({ deployment: pj.deployment, cursor: cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, "x"), taskToken: `bake-${dead}` }));
      expect(await as("start", () => start(startEvent(next, fn, { queue: true })))).toEqual({ waiting: true });
      if (crashed) await dropLock(fn);
      expect(await as("janitor", () => janitor(status(dead, "ABORTED")))).toMatchObject({ action: "restored" });
      expect((await reg.getDeployment(dead))?.status).toBe("Stopped");
      expect((await reg.getLock({ lockKey: pj.deployment.lockKey }))?.holderDeploymentId).toBe(next);
    }
    const other = nextId();
    await started(other, "orders-other-writer");
    // start: a group deployment whose S3 revision is read, by version and without one (the object is gone: refused).
    process.env.DEPLOYMENT_GROUPS = JSON.stringify({ applications: { "orders-app": { computePlatform: "Lambda", deploymentGroups: { "orders-prod": { target: { functionName: "orders-group", alias: "live" } } } } } });
    for (const version of ["v1", undefined]) {
      const id = nextId();
      const revision = { s3: { bucket: "orders-revisions", key: "r.zip", bundleType: "zip", ...(version ? { version } : {}) } };
      const event = { input: { deploymentId: id, application: "orders-app", deploymentGroup: "orders-prod", revision }, executionName: id, executionArn: execArn(id), taskToken: `token-${id}` };
      expect(await settle(as("start", () => start(event)))).toBe("Deploy.ResourceNotFound");
    }
    delete process.env.DEPLOYMENT_GROUPS;
    aliases.set("orders-other-writer:live", { FunctionVersion: "2", Weights: { "1": 0.5 }, RevisionId: "theirs" });
    expect(await as("janitor", () => janitor(status(other, "TIMED_OUT")))).toMatchObject({ action: "closed-without-restore" });
    expect(await as("janitor", () => janitor(status(a, "FAILED")))).toMatchObject({ deploymentId: a }); // Succeeded: release only
    expect(await as("janitor", () => janitor(status(nextId(), "TIMED_OUT")))).toMatchObject({ action: "none" });
    expect(prepared).toBeDefined();
  }, 120_000);

  it.each(FNS)("%s: every AWS call it made is granted by its role", (fn) => {
    const allowed = granted(fn);
    const calls = [...(used.get(fn) ?? [])];
    expect(calls.length, fn).toBeGreaterThan(0);
    const missing = calls.filter((c) => !isGranted(allowed, c));
    expect(missing, `${fn} would get AccessDenied for`).toEqual([]);
  });

  it.each(FNS)("%s: every action its role grants (besides logs) is one the handler calls", (fn) => {
    const calls = used.get(fn) ?? new Set<string>();
    // The ECS grants of the shared shiftTraffic and janitor roles (listener weights, task sets) serve deploy-ecs,
    // whose paths run on the simulated account (test/workflows/ecs.test.ts), not on these mocked Lambda paths; so do
    // the janitor's EC2 blue/green grants (instances, the copied Auto Scaling group: test/workflows/server-blue-green.test.ts).
    const ecsPath = (g: string) => g.startsWith("elasticloadbalancing:") || g.startsWith("ecs:") || (fn === "janitor" && (g.startsWith("ec2:") || g.startsWith("autoscaling:")));
    const unused = [...granted(fn)].filter((g) => !g.endsWith("@logs") && !ecsPath(g) && !calls.has(g));
    expect(unused, `${fn} is granted but never calls`).toEqual([]);
  });

  it("no handler queries an index (the indexes serve the operator CLI's list and history)", () => {
    for (const fn of FNS) expect([...(used.get(fn) ?? [])].filter((c) => c.includes("@index:")), fn).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ the operator policy in docs/deploy.md

/** `<action>@<resource kind>` granted by the operator policy example in docs/deploy.md. */
function operatorPolicy(): { grants: Set<string>; resources: string[] } {
  const doc = readFileSync(path.join(ROOT, "docs", "deploy.md"), "utf8");
  const at = doc.indexOf("<!-- operator-policy");
  const block = at < 0 ? null : /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (!block) throw new Error("docs/deploy.md: no ```json block after <!-- operator-policy -->");
  const policy = JSON.parse(block[1] as string) as { Statement: Statement[] };
  const kind = (r: string): string =>
    r === "*" ? "*" : r.includes(":stateMachine:") ? "stateMachine" : r.includes(":execution:") ? "execution" : r.includes("/index/") ? `index:${r.slice(r.indexOf("/index/") + 7)}` : r.includes(":table/") ? "table" : `other:${r}`;
  const grants = new Set<string>();
  const resources: string[] = [];
  for (const st of policy.Statement) {
    expect(st.Effect).toBe("Allow");
    const rs = (Array.isArray(st.Resource) ? st.Resource : [st.Resource]) as string[];
    resources.push(...rs);
    for (const a of Array.isArray(st.Action) ? st.Action : [st.Action]) for (const r of rs) grants.add(`${a}@${kind(r)}`);
  }
  return { grants, resources };
}

/** Granted to operators for the console / aws CLI, not called by the stepdeploy CLI. */
const BREAK_GLASS = ["states:StopExecution@execution", "states:ListExecutions@stateMachine"];

describe("IAM coverage: the operator CLI against the policy in docs/deploy.md", () => {
  beforeAll(async () => {
    const reg = registry();
    const id = nextId();
    // A running deployment waiting in a bake (set up unrecorded).
    const p = await started(id, "orders-op");
    await watchBake({ deployment: p.deployment, cursor: cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision), taskToken: `bake-${id}` });
    const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-iam-"));
    try {
      const input = path.join(dir, "input.json");
      writeFileSync(input, JSON.stringify({ functionName: "orders", alias: "live", currentVersion: "3", targetVersion: "4" }));
      const run = async (...argv: string[]) => {
        const io = memoryIO(process.env);
        const code = await as("operator", () => cli(argv, io));
        expect(code, `stepdeploy ${argv.join(" ")}: ${io.stderr}`).toBe(0);
        return io.stdout;
      };
      await run("deploy", "lambda", input, "--json");
      expect(JSON.parse(await run("status", id, "--json"))).toMatchObject({ deploymentId: id, status: "InProgress" });
      expect(JSON.parse(await run("pause", id, "--json"))).toMatchObject({ delivered: true, action: { send: "failure" } });
      expect(JSON.parse(await run("promote", id, "--json"))).toMatchObject({ delivered: true, action: { send: "success" } });
      await run("resume", id);
      await run("stop", id);
      expect(JSON.parse(await run("list", "--json"))).toEqual(expect.arrayContaining([expect.objectContaining({ deploymentId: id })]));
      expect(JSON.parse(await run("history", "--group", "orders-app/orders-prod", "--json")).deployments[0]).toMatchObject({ deploymentId: id });
      expect((await reg.getDeployment(id))?.control).toMatchObject({ stopRequested: { requestedBy: expect.any(String) } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("every call the CLI made is granted by the operator policy", () => {
    const { grants } = operatorPolicy();
    const calls = [...(used.get("operator") ?? [])];
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !isGranted(grants, c))).toEqual([]);
  });

  it("every action the policy grants is called by the CLI, besides StopExecution/ListExecutions (break-glass)", () => {
    const calls = used.get("operator") ?? new Set<string>();
    const usedBy = (g: string) => calls.has(g) || (g.endsWith("@index:*") && [...calls].some((c) => c.startsWith(g.replace("index:*", "index:"))));
    expect([...operatorPolicy().grants].filter((g) => !usedBy(g) && !BREAK_GLASS.includes(g))).toEqual([]);
    // list and history read both indexes.
    expect([...calls].filter((c) => c.includes("@index:")).sort()).toEqual(["dynamodb:Query@index:byGroup", "dynamodb:Query@index:byStatus"]);
    for (const g of BREAK_GLASS) expect(operatorPolicy().grants).toContain(g);
  });

  it("names the stack's own state machine and table (stage prod), never a wildcard account or region", () => {
    for (const r of operatorPolicy().resources) {
      if (r === "*") continue;
      expect(r).toMatch(/^arn:aws:(states|dynamodb):us-east-1:111122223333:(stateMachine:stepdeploy-prod-deploy-lambda|execution:stepdeploy-prod-deploy-lambda:\*|table\/stepdeploy-prod-registry(\/index\/\*)?)$/);
    }
  });
});
