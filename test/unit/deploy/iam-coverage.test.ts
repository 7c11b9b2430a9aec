// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is serverless.yml / CloudFormation syntax
/**
 * The new functions' roles in serverless.yml against what their handlers really call. Each handler
 * runs, on the paths that reach every AWS call it can make (first run, repeats, conflicts, alarms,
 * pending operator requests, lock hand-over and crash repair), against dynalite for the registry
 * table and mocked Step Functions / CloudWatch / Lambda / EventBridge clients. Every call is
 * recorded as an IAM action, with "index" when a DynamoDB request names an index.
 *
 * Both directions are asserted: every call is granted by the function's own role (no
 * AccessDenied in production), and every granted action is used by some path (least privilege).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand, DeleteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { LambdaClient, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { memoryIO } from "../../../cli/io.js";
import { main as cli } from "../../../cli/main.js";
import { dynamoDbClient, registryCreateTableInput } from "../../../functions/adapters/dynamodb-registry.js";
import type { LambdaDeployment } from "../../../functions/domain/deployment/state.js";
import { handler as alarmListener } from "../../../functions/handlers/alarmListener.js";
import { handler as finalize } from "../../../functions/handlers/finalize.js";
import { handler as holdPaused } from "../../../functions/handlers/holdPaused.js";
import { handler as janitor } from "../../../functions/handlers/janitor.js";
import { handler as joinQueue } from "../../../functions/handlers/joinQueue.js";
import { handler as leaveQueue } from "../../../functions/handlers/leaveQueue.js";
import { handler as waitInLine } from "../../../functions/handlers/waitInLine.js";
import { putWaiting } from "../../../functions/adapters/dynamodb-callbacks.js";
import { handler as register } from "../../../functions/handlers/register.js";
import { handler as watchBake } from "../../../functions/handlers/watchBake.js";
import { registry } from "../../../functions/lib/registry.js";
import { ROOT } from "./package-fixture.js";

type Fn = "register" | "watchBake" | "holdPaused" | "alarmListener" | "finalize" | "janitor" | "joinQueue" | "waitInLine" | "leaveQueue";
const FNS: Fn[] = ["register", "watchBake", "holdPaused", "alarmListener", "finalize", "janitor", "joinQueue", "waitInLine", "leaveQueue"];
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
const settle = (p: Promise<unknown>) => p.then(
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
const savedEnv = { endpoint: process.env.AWS_ENDPOINT_URL, table: process.env.STEPDEPLOY_TABLE };
const TABLE = "stepdeploy-iam-coverage";

// ------------------------------------------------------------------------------ the other services, mocked
const alarmStates = new Map<string, string>();
const stubs: Array<Pick<AwsStub<never, never, never>, "restore">> = [];

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.STEPDEPLOY_TABLE = TABLE;
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
    record("states:StartExecution", "stateMachine");
    return { executionArn: `${input.stateMachineArn.replace(":stateMachine:", ":execution:")}:${input.name}`, startDate: new Date() };
  });
  sfn.on(DescribeExecutionCommand).callsFake(recorded("states:DescribeExecution", "execution", { status: "RUNNING" }));
  const cw = mockClient(CloudWatchClient);
  cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => {
    record("cloudwatch:DescribeAlarms", "*");
    return { MetricAlarms: (input.AlarmNames ?? []).map((n) => ({ AlarmName: n, StateValue: alarmStates.get(n) ?? "OK" })), CompositeAlarms: [] };
  });
  const lambda = mockClient(LambdaClient);
  lambda.on(UpdateAliasCommand).callsFake(recorded("lambda:UpdateAlias", "target", {}));
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).callsFake(recorded("events:PutEvents", "bus", { FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] }));
  stubs.push(sfn, cw, lambda, events);
});

afterAll(async () => {
  for (const s of stubs) s.restore();
  process.env.AWS_ENDPOINT_URL = savedEnv.endpoint;
  process.env.STEPDEPLOY_TABLE = savedEnv.table;
  if (savedEnv.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
  if (savedEnv.table === undefined) delete process.env.STEPDEPLOY_TABLE;
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

// ------------------------------------------------------------------------------ inputs

let seq = 0;
const nextId = () => `d-IAM${String(++seq).padStart(6, "0")}`;
/** The fields of a prepared deployment these handlers read. */
function deployment(id: string, group: string, alarms = ["orders-errors"]): LambdaDeployment {
  return {
    deploymentId: id,
    application: "orders-app",
    deploymentGroup: group,
    functionName: "orders",
    alias: "live",
    currentVersion: "3",
    targetVersion: "4",
    config: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    alarms,
    ignoredAlarms: [],
  } as unknown as LambdaDeployment;
}
const execArn = (id: string) => `arn:aws:states:us-east-1:123456789012:execution:stepdeploy-dev-deploy-lambda:${id}`;
const step = { index: 0, weight: 10 };
/** Deletes a group's lock behind the registry's back: a crash between a release's delete and its settle. */
const dropLock = (group: string) =>
  dynamoDbClient().send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: `GROUP#orders-app#${group}` }, sk: { S: "LOCK" } } }));
const FAILURE = { error: "Deploy.AlarmTriggered", reason: "alarm orders-errors is in ALARM", state: "FAILURE", rollback: true } as const;

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
    if (text === JSON.stringify({ "Fn::GetAtt": ["StepDeployEventBus", "Arn"] })) return "bus";
    if (text.includes("LogGroup")) return "logs";
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

describe("IAM coverage: the new handlers against their roles", () => {
  beforeAll(async () => {
    const reg = registry();
    // register: first run, a repeat (create is a no-op, lock already mine), a conflicting deployment.
    const a = nextId();
    const b = nextId();
    expect(await settle(as("register", () => register({ deployment: deployment(a, "g-main"), executionArn: execArn(a) })))).toBe("ok");
    expect(await settle(as("register", () => register({ deployment: deployment(a, "g-main"), executionArn: execArn(a) })))).toBe("ok");
    expect(await settle(as("register", () => register({ deployment: deployment(b, "g-main"), executionArn: execArn(b) })))).toBe("Deploy.ConflictingDeployment");

    // watchBake: a quiet bake; a bake that finds its alarm firing; a bake that applies a promote recorded earlier.
    const bake = (id: string) => as("watchBake", () => watchBake({ deployment: deployment(id, "g-main"), step, bake: { remaining: 300 }, totalSteps: 2, taskToken: `token-${id}` }));
    expect(await settle(bake(a))).toBe("ok");
    // alarmListener: that alarm fires while the bake waits (Query the watches, fail the token).
    expect(await settle(as("alarmListener", () => alarmListener({ source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", detail: { alarmName: "orders-errors", state: { value: "ALARM" } } })))).toBe("ok");
    alarmStates.set("orders-errors", "ALARM");
    expect(await settle(bake(a))).toBe("Deploy.AlarmTriggered");
    alarmStates.clear();
    await reg.requestControl(a, { intent: "promote", by: "alice" });
    expect(await settle(bake(a))).toBe("ok");

    // holdPaused: a resume that arrived before the pause opened; an alarm firing while paused.
    const c = nextId();
    expect(await settle(as("register", () => register({ deployment: deployment(c, "g-pause"), executionArn: execArn(c) })))).toBe("ok");
    await reg.requestControl(c, { intent: "pause", by: "bob" });
    await reg.requestControl(c, { intent: "resume", by: "bob" });
    const hold = () => as("holdPaused", () => holdPaused({ deployment: deployment(c, "g-pause"), step, pause: { remainingSeconds: 120 }, taskToken: `token-${c}` }));
    expect(await settle(hold())).toBe("ok");
    alarmStates.set("orders-errors", "ALARM");
    expect(await settle(hold())).toBe("Deploy.AlarmTriggered");
    alarmStates.clear();

    // finalize: success with a deployment queued behind (hand-over), then a failure with nobody queued.
    const queued = nextId();
    await reg.createDeployment({ deploymentId: queued, application: "orders-app", deploymentGroup: "g-main", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", platform: "Lambda", target: {} });
    expect(await reg.acquireOrEnqueue({ application: "orders-app", deploymentGroup: "g-main", deploymentId: queued })).toMatchObject({ acquired: false });
    await putWaiting({ deploymentId: queued, token: `token-${queued}`, kind: "queue", stepIndex: -1, weight: 0, alarms: [] }); // it waits in line
    expect(await settle(as("finalize", () => finalize({ deployment: deployment(a, "g-main") })))).toBe("ok");
    expect(await settle(as("finalize", () => finalize({ deployment: deployment(a, "g-main") })))).toBe("ok"); // a retry
    expect(await settle(as("finalize", () => finalize({ deployment: deployment(c, "g-pause"), outcome: FAILURE })))).toBe("ok");

    // finalize repairs a group whose lock is gone while someone waits (a crash between delete and settle):
    // the free lock goes to the head of the queue (UpdateItem).
    const d = nextId();
    const e = nextId();
    expect(await settle(as("register", () => register({ deployment: deployment(d, "g-crash"), executionArn: execArn(d) })))).toBe("ok");
    await reg.createDeployment({ deploymentId: e, application: "orders-app", deploymentGroup: "g-crash", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", platform: "Lambda", target: {} });
    expect(await reg.acquireOrEnqueue({ application: "orders-app", deploymentGroup: "g-crash", deploymentId: e })).toMatchObject({ acquired: false });
    await dropLock("g-crash");
    expect(await settle(as("finalize", () => finalize({ deployment: deployment(d, "g-crash"), outcome: { ...FAILURE, state: "STOP" } })))).toBe("ok");
    expect((await reg.getLock({ application: "orders-app", deploymentGroup: "g-crash" }))?.holderDeploymentId).toBe(e);

    // janitor: an execution aborted mid-bake with a deployment queued behind it (restore, record,
    // release, notify); the same with the lock already gone (settle grants it: UpdateItem); one
    // that ended cleanly (release only); one it knows nothing about.
    const status = (id: string, s: string) => ({ detail: { executionArn: execArn(id), name: id, status: s }, region: "us-east-1" });
    for (const [group, crashed] of [
      ["g-janitor", false],
      ["g-janitor-crash", true],
    ] as const) {
      const dead = nextId();
      const next = nextId();
      expect(await settle(as("register", () => register({ deployment: deployment(dead, group), executionArn: execArn(dead) })))).toBe("ok");
      expect(await settle(as("watchBake", () => watchBake({ deployment: deployment(dead, group), step, bake: { remaining: 300 }, taskToken: `token-${dead}` })))).toBe("ok");
      await reg.createDeployment({ deploymentId: next, application: "orders-app", deploymentGroup: group, deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", platform: "Lambda", target: {} });
      expect(await reg.acquireOrEnqueue({ application: "orders-app", deploymentGroup: group, deploymentId: next })).toMatchObject({ acquired: false });
      await putWaiting({ deploymentId: next, token: `token-${next}`, kind: "queue", stepIndex: -1, weight: 0, alarms: [] });
      if (crashed) await dropLock(group);
      expect(await as("janitor", () => janitor(status(dead, "ABORTED")))).toMatchObject({ action: "restored" });
      expect((await reg.getDeployment(dead))?.status).toBe("Stopped");
      expect((await reg.getLock({ application: "orders-app", deploymentGroup: group }))?.holderDeploymentId).toBe(next);
    }
    expect(await as("janitor", () => janitor(status(a, "FAILED")))).toMatchObject({ deploymentId: a }); // Succeeded: release only
    expect(await as("janitor", () => janitor(status(nextId(), "TIMED_OUT")))).toMatchObject({ action: "none" });

    // The queue (queue: true). joinQueue: a free group (lock taken), a busy one (queued), a repeat.
    const input = (id: string, group: string) => ({ deploymentId: id, application: "orders-app", deploymentGroup: group, functionName: "orders", alias: "live", targetVersion: "4", queue: true });
    const q1 = nextId();
    const q2 = nextId();
    const q3 = nextId();
    const join = (id: string) => as("joinQueue", () => joinQueue({ input: input(id, "g-queue"), executionArn: execArn(id) }));
    expect(await join(q1)).toMatchObject({ acquired: true });
    expect(await join(q2)).toMatchObject({ acquired: false, queuedBehind: q1, position: 1 });
    expect(await join(q3)).toMatchObject({ acquired: false, position: 2 });
    expect(await join(q2)).toMatchObject({ acquired: false, position: 1 });
    // waitInLine: still behind q1 (stores the token); q3 asked to stop while queued.
    const wait = (id: string) => as("waitInLine", () => waitInLine({ deploymentId: id, application: "orders-app", deploymentGroup: "g-queue", executionArn: execArn(id), taskToken: `token-${id}` }));
    expect(await wait(q2)).toEqual({ waiting: true });
    await reg.requestControl(q3, { intent: "stop", by: "carol", rollback: true });
    expect(await settle(wait(q3))).toBe("Deploy.Stopped");
    // leaveQueue: q3 leaves (stopped in line); q1, the holder, leaves (rejected): the lock goes to q2, woken.
    const leave = (id: string, error: string) => as("leaveQueue", () => leaveQueue({ input: { deploymentId: id, application: "orders-app", deploymentGroup: "g-queue" }, failure: { Error: error, Cause: "test" } }));
    expect(await leave(q3, "Deploy.Stopped")).toEqual({ status: "Stopped", passedLockTo: null });
    expect(await leave(q1, "Deploy.VersionMismatch")).toEqual({ status: "Failed", passedLockTo: q2 });
    // waitInLine after a hand-over it missed: the lock is its own already, it wakes itself.
    expect(await wait(q2)).toEqual({ waiting: false });

    // Crash repair on the queue's paths. g-queue2: q4 holds; q5 queued, then stopped while queued (its entry
    // stays); the lock vanishes (a crash). joinQueue(q6) skips q5's entry (DeleteItem) and gets the lock.
    const [q4, q5, q6, q7, q8] = [nextId(), nextId(), nextId(), nextId(), nextId()];
    const join2 = (id: string) => as("joinQueue", () => joinQueue({ input: input(id, "g-queue2"), executionArn: execArn(id) }));
    expect(await join2(q4)).toMatchObject({ acquired: true });
    expect(await join2(q5)).toMatchObject({ acquired: false });
    await reg.markStopped(q5, "Deploy.Stopped", "stopped in line");
    await dropLock("g-queue2");
    expect(await join2(q6)).toMatchObject({ acquired: true });
    // waitInLine of a deployment whose queue entry was removed meanwhile: it queues again (sequence UpdateItem).
    await reg.createDeployment({ deploymentId: q7, application: "orders-app", deploymentGroup: "g-queue2", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", platform: "Lambda", target: {}, queued: true });
    expect(await as("waitInLine", () => waitInLine({ deploymentId: q7, application: "orders-app", deploymentGroup: "g-queue2", executionArn: execArn(q7), taskToken: `token-${q7}` }))).toEqual({ waiting: true });
    // leaveQueue of q8 (queued) after the lock vanished: the free lock goes to the head, q7 (UpdateItem), woken.
    expect(await join2(q8)).toMatchObject({ acquired: false });
    await dropLock("g-queue2");
    expect(await as("leaveQueue", () => leaveQueue({ input: { deploymentId: q8, application: "orders-app", deploymentGroup: "g-queue2" }, failure: { Error: "Deploy.Stopped" } }))).toEqual({ status: "Stopped", passedLockTo: q7 });
  }, 60_000);

  it.each(FNS)("%s: every AWS call it made is granted by its role", (fn) => {
    const allowed = granted(fn);
    const calls = [...(used.get(fn) ?? [])];
    expect(calls.length, fn).toBeGreaterThan(0);
    const missing = calls.filter((c) => !isGranted(allowed, c));
    expect(missing, `${fn} would get AccessDenied for`).toEqual([]);
  });

  it.each(FNS)("%s: every action its role grants (besides logs) is one the handler calls", (fn) => {
    const calls = used.get(fn) ?? new Set<string>();
    const unused = [...granted(fn)].filter((g) => !g.endsWith("@logs") && !calls.has(g));
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
    await register({ deployment: deployment(id, "g-op"), executionArn: execArn(id) });
    await watchBake({ deployment: deployment(id, "g-op"), step, bake: { remaining: 300 }, taskToken: `token-${id}` });
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
      expect(JSON.parse(await run("history", "--group", "orders-app/g-op", "--json"))).toMatchObject({ deployments: [{ deploymentId: id }] });
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
