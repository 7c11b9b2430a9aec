// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRY_TABLE_DEFINITION, registryTableResource } from "../../../functions/adapters/dynamodb-registry.js";
import { checkTemplate, loadSpecLookup, RESOURCE_STAR_ALLOWED } from "../../../scripts/check-cfn.js";
import { PACKAGE_PARAMS, PACKAGE_STAGE } from "../../../scripts/package-service.js";
import { asList, type CfnTemplate, type Json, type PackagedService, packagedService, ROOT, roleStatements, type Statement } from "./package-fixture.js";

const FUNCTIONS = {
  start: "StartLambdaFunction",
  closeUnstarted: "CloseUnstartedLambdaFunction",
  runHook: "RunHookLambdaFunction",
  shiftTraffic: "ShiftTrafficLambdaFunction",
  watchBake: "WatchBakeLambdaFunction",
  checkBake: "CheckBakeLambdaFunction",
  holdPaused: "HoldPausedLambdaFunction",
  concludeFailure: "ConcludeFailureLambdaFunction",
  rollBack: "RollBackLambdaFunction",
  finalize: "FinalizeLambdaFunction",
  alarmListener: "AlarmListenerLambdaFunction",
  janitor: "JanitorLambdaFunction",
  dispatchRelease: "DispatchReleaseLambdaFunction",
  planRelease: "PlanReleaseLambdaFunction",
  uploadCodePackage: "UploadCodePackageLambdaFunction",
  buildDeployment: "BuildDeploymentLambdaFunction",
  prepareEcsRelease: "PrepareEcsReleaseLambdaFunction",
  startServer: "StartServerLambdaFunction",
  nextServerBatch: "NextServerBatchLambdaFunction",
  rollBackServer: "RollBackServerLambdaFunction",
  sendServerCommands: "SendServerCommandsLambdaFunction",
  pollServerCommands: "PollServerCommandsLambdaFunction",
  moveServerTraffic: "MoveServerTrafficLambdaFunction",
  checkServerTraffic: "CheckServerTrafficLambdaFunction",
  serverWait: "ServerWaitLambdaFunction",
  launchServer: "LaunchServerLambdaFunction",
  terminateServer: "TerminateServerLambdaFunction",
  notifyTriggers: "NotifyTriggersLambdaFunction",
  ecsStart: "EcsStartLambdaFunction",
  ecsInstall: "EcsInstallLambdaFunction",
  ecsCheckReplacement: "EcsCheckReplacementLambdaFunction",
  ecsAllowTestTraffic: "EcsAllowTestTrafficLambdaFunction",
  ecsRunHook: "EcsRunHookLambdaFunction",
  ecsWait: "EcsWaitLambdaFunction",
  ecsCleanUp: "EcsCleanUpLambdaFunction",
  ecsRollBack: "EcsRollBackLambdaFunction",
} as const;
type FunctionKey = keyof typeof FUNCTIONS;
/** The functions the state machine invokes (lambda:invoke and lambda:invoke.waitForTaskToken tasks). */
const INVOKED_BY_STATE_MACHINE: FunctionKey[] = ["start", "closeUnstarted", "runHook", "shiftTraffic", "watchBake", "holdPaused", "concludeFailure", "rollBack", "finalize"];
/** Invoked by EventBridge rules on the default bus instead. */
const RULE_TARGETS: FunctionKey[] = ["alarmListener", "janitor", "dispatchRelease", "notifyTriggers", "launchServer", "terminateServer"];
/** Invoked by the release state machine. */
const INVOKED_BY_RELEASE: FunctionKey[] = ["planRelease", "uploadCodePackage", "buildDeployment", "prepareEcsRelease"];
/** The functions deploy-ecs invokes: its own ECS steps and the shared engine's. */
const INVOKED_BY_DEPLOY_ECS: FunctionKey[] = [
  "ecsStart",
  "closeUnstarted",
  "ecsRunHook",
  "ecsInstall",
  "ecsCheckReplacement",
  "ecsAllowTestTraffic",
  "ecsWait",
  "shiftTraffic",
  "watchBake",
  "holdPaused",
  "ecsCleanUp",
  "concludeFailure",
  "ecsRollBack",
  "finalize",
];
const roleOf = (key: string): string => `${key.charAt(0).toUpperCase()}${key.slice(1)}Role`;
const TABLE_ARN = { "Fn::GetAtt": ["RegistryTable", "Arn"] };
const LAMBDA_ARN_PREFIX = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";

/** The run's one packaging: a non-default stage with both patterns overridden (scripts/package-service.ts). */
let pkg: PackagedService;
const STAGE = PACKAGE_STAGE;

beforeAll(async () => {
  pkg = await packagedService();
}, 180_000);

afterAll(() => {
  pkg?.cleanup();
});

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, Json>;
  States?: Record<string, AslState>;
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: Array<{ States: Record<string, AslState> }>;
}

function allStates(states: Record<string, AslState>): Array<[string, AslState]> {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, AslState],
    ...allStates(s.ItemProcessor?.States ?? s.Iterator?.States ?? {}),
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
}

/** The state machine's definition string and its substitution map, as serverless-step-functions emits them. */
function definitionOf(template: CfnTemplate) {
  const sm = template.Resources.DeployLambdaStateMachine;
  expect(sm?.Type).toBe("AWS::StepFunctions::StateMachine");
  const definitionString = sm?.Properties?.DefinitionString as { "Fn::Sub": [string, Record<string, Json>] } | undefined;
  if (!definitionString) throw new Error("DeployLambdaStateMachine has no DefinitionString");
  const sub = definitionString["Fn::Sub"];
  expect(Array.isArray(sub)).toBe(true);
  const [text, vars] = sub;
  const definition = JSON.parse(text) as { StartAt: string; States: Record<string, AslState> };
  const substitution = (value: Json | undefined): Json | undefined => {
    const m = typeof value === "string" ? /^\$\{([^}]+)\}$/.exec(value) : null;
    return m ? vars[m[1] as string] : undefined;
  };
  return { text, vars, definition, substitution };
}

/** The pipelines' own resources (functions, roles, rules, state machines) are checked by test/unit/pipeline/template.test.ts. */
const isPipeline = ([id, r]: [string, CfnTemplate["Resources"][string]]) => id.startsWith("Pipeline") || id.startsWith("GitFetchProject") || JSON.stringify(r.Properties?.Targets ?? "").includes("PipelineTrigger") || JSON.stringify(r.Properties?.Targets ?? "").includes("PipelineJanitor");
const rules = (t: CfnTemplate) => Object.entries(t.Resources).filter(([, r]) => r.Type === "AWS::Events::Rule").filter((e) => !isPipeline(e));

function statementsOf(template: CfnTemplate, roleId: string, sid: string): Statement {
  const st = roleStatements(template, roleId).find((s) => s.Sid === sid);
  if (!st) throw new Error(`${roleId} has no statement ${sid}`);
  return st;
}

const subs = (resource: Json): string[] =>
  asList(resource).map((r) => (r && typeof r === "object" && !Array.isArray(r) && typeof r["Fn::Sub"] === "string" ? r["Fn::Sub"] : JSON.stringify(r)));

/** Extracts a zip into `dir` (files only; the bundles have no directories of their own). */
function unzip(file: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (e: yauzl.Entry) => {
        zip.openReadStream(e, (error, stream) => {
          if (error || !stream) return reject(error);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            const out = path.join(dir, e.fileName);
            mkdirSync(path.dirname(out), { recursive: true });
            writeFileSync(out, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve());
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

describe("packaged template: state machine", () => {
  it("is a STANDARD state machine named stepdeploy-<stage>-deploy-lambda with its own role", () => {
    const props = pkg.template.Resources.DeployLambdaStateMachine?.Properties;
    expect(STAGE).not.toBe("dev"); // the default stage: a name that ignored the stage would still pass
    expect(props?.StateMachineName).toBe(`stepdeploy-${STAGE}-deploy-lambda`);
    expect(props?.StateMachineType).toBe("STANDARD");
    expect(props?.RoleArn).toEqual({ "Fn::GetAtt": ["DeployLambdaStateMachineRole", "Arn"] });
  });

  it("substitutes our functions' ARNs into every lambda:invoke task, callbacks included (Fn::Sub variable map)", () => {
    const { definition, substitution } = definitionOf(pkg.template);
    const invokes = allStates(definition.States).filter(
      ([, s]) => s.Type === "Task" && (s.Resource === "arn:aws:states:::lambda:invoke" || s.Resource === "arn:aws:states:::lambda:invoke.waitForTaskToken"),
    );
    expect(invokes.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const [name, s] of invokes) {
      const target = substitution(s.Parameters?.FunctionName);
      expect(target, `${name}.Parameters.FunctionName`).toMatchObject({ "Fn::GetAtt": [expect.any(String), "Arn"] });
      const logicalId = (target as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
      expect(Object.values(FUNCTIONS)).toContain(logicalId);
      expect(pkg.template.Resources[logicalId]?.Type).toBe("AWS::Lambda::Function");
      used.add(logicalId);
    }
    expect([...used].sort()).toEqual(INVOKED_BY_STATE_MACHINE.map((k) => FUNCTIONS[k]).sort());
  });

  it("sends events:putEvents to the stack's bus (Ref StepDeployEventBus)", () => {
    const { definition, substitution } = definitionOf(pkg.template);
    const puts = allStates(definition.States).filter(([, s]) => s.Resource === "arn:aws:states:::events:putEvents");
    expect(puts.length).toBeGreaterThan(0);
    for (const [name, s] of puts) {
      const entries = s.Parameters?.Entries as Array<Record<string, Json>>;
      for (const entry of entries) expect(substitution(entry.EventBusName), name).toEqual({ Ref: "StepDeployEventBus" });
    }
  });

  it("leaves no ${...} placeholder that the substitution map does not define", () => {
    const { text, vars } = definitionOf(pkg.template);
    const placeholders = [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const p of placeholders) expect(Object.keys(vars)).toContain(p);
  });
});

describe("packaged template: bus and functions", () => {
  it("declares the EventBridge bus stepdeploy-<stage> as StepDeployEventBus", () => {
    expect(pkg.template.Resources.StepDeployEventBus).toEqual({ Type: "AWS::Events::EventBus", Properties: { Name: `stepdeploy-${STAGE}` } });
  });

  it.each(Object.entries(FUNCTIONS))("%s: nodejs20.x on arm64, own role, bus and table names and Powertools env", (key, logicalId) => {
    const props = pkg.template.Resources[logicalId]?.Properties ?? {};
    expect(props.Handler).toBe(`functions/handlers/${key}.handler`);
    expect(props.Runtime).toBe("nodejs20.x");
    expect(props.Architectures).toEqual(["arm64"]);
    expect(props.Role).toEqual({ "Fn::GetAtt": [roleOf(key), "Arn"] });
    const ownVariables: Record<string, string[]> = {
      dispatchRelease: ["RELEASE_SOURCES", "DEPLOYMENT_GROUPS", "RELEASE_STATE_MACHINE_ARN"],
      start: ["HOOK_FUNCTION_PATTERN", "DEPLOYMENT_GROUPS"],
      notifyTriggers: ["DEPLOYMENT_GROUPS"],
      ecsStart: ["HOOK_FUNCTION_PATTERN", "DEPLOYMENT_GROUPS"],
      startServer: ["DEPLOYMENT_GROUPS"],
      launchServer: ["DEPLOYMENT_GROUPS", "DEPLOY_SERVER_STATE_MACHINE_ARN"],
      terminateServer: ["DEPLOYMENT_GROUPS", "DEPLOY_SERVER_STATE_MACHINE_ARN"],
      watchBake: ["BAKE_WATCHER_STATE_MACHINE_ARN"],
      checkBake: ["BAKE_WATCHER_STATE_MACHINE_ARN"],
      planRelease: ["RELEASE_SOURCES", "DEPLOYMENT_GROUPS", "HOOK_FUNCTION_PATTERN", "OWN_FUNCTION_PREFIX"],
      prepareEcsRelease: ["RELEASE_SOURCES", "DEPLOYMENT_GROUPS", "HOOK_FUNCTION_PATTERN", "OWN_FUNCTION_PREFIX"],
    };
    const own = ownVariables[key] ?? [];
    const variables = (props.Environment as { Variables: Record<string, Json> }).Variables;
    expect(Object.fromEntries(Object.entries(variables).filter(([k]) => !own.includes(k)))).toEqual({
      EVENT_BUS_NAME: { Ref: "StepDeployEventBus" },
      STEPDEPLOY_TABLE: { Ref: "RegistryTable" },
      POWERTOOLS_SERVICE_NAME: "stepdeploy",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    expect(Object.keys(variables).filter((k) => own.includes(k))).toEqual(own);
    // Lambda allows 4 KB of environment variables per function (keys and values; a Ref or Sub resolves to an ARN or
    // name of well under 256 bytes).
    const bytes = Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + (typeof v === "string" ? Buffer.byteLength(v) : 256), 0);
    expect(bytes).toBeLessThanOrEqual(4096);
  });

  it.each(Object.keys(FUNCTIONS))("%s.zip holds only its ESM bundle, at the path the Handler names", async (key) => {
    const entries = await zipEntries(path.join(pkg.dir, ".serverless", `${key}.zip`));
    expect(entries).toEqual([`functions/handlers/${key}.mjs`]);
  });
});

describe("packaged bundles", () => {
  it("load outside the repository (no node_modules) and export a handler; start rejects bad input", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-bundles-"));
    try {
      for (const key of Object.keys(FUNCTIONS)) await unzip(path.join(pkg.dir, ".serverless", `${key}.zip`), dir);
      const script = `
        const names = ${JSON.stringify(Object.keys(FUNCTIONS))};
        const out = {};
        for (const n of names) out[n] = typeof (await import("./functions/handlers/" + n + ".mjs")).handler;
        const { handler } = await import("./functions/handlers/start.mjs");
        out.start_error = await handler({ input: {} }).then(() => "no error", (e) => e.name);
        console.log(JSON.stringify(out));`;
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      });
      expect(JSON.parse(stdout)).toEqual({ ...Object.fromEntries(Object.keys(FUNCTIONS).map((k) => [k, "function"])), start_error: "Deploy.InvalidInput" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // 24 bundles unzipped and imported in a fresh process: on a loaded 2-core machine this passes 60 s.
  }, 180_000);
});

describe("packaged template: IAM", () => {
  const iamStatements = (t: CfnTemplate): Array<[string, Statement]> =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === "AWS::IAM::Role" || r.Type === "AWS::IAM::ManagedPolicy")
      .flatMap(([id, r]) => (r.Type === "AWS::IAM::Role" ? roleStatements(t, id) : ((r.Properties?.PolicyDocument as unknown as { Statement: Statement[] } | undefined)?.Statement ?? [])).map((s) => [id, s] as [string, Statement]));

  it("has no wildcard in any Action, and Resource '*' only for DescribeAlarms, GetMetricData, SendTaskSuccess/Failure and execution-log delivery", () => {
    const all = iamStatements(pkg.template);
    expect(all.length).toBeGreaterThan(0);
    const starred = new Set<string>();
    for (const [role, st] of all) {
      for (const action of asList(st.Action)) expect(action, `${role} ${st.Sid}`).not.toContain("*");
      if (!asList(st.Resource).includes("*")) continue;
      expect(asList(st.Resource), `${role} ${st.Sid}`).toEqual(["*"]);
      for (const action of asList(st.Action)) starred.add(action);
    }
    const logDelivery = ["CreateLogDelivery", "GetLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery", "ListLogDeliveries", "PutResourcePolicy", "DescribeResourcePolicies", "DescribeLogGroups"].map((a) => `logs:${a}`);
    const ecsReads = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "iam:PassRole", ...["DescribeListeners", "DescribeRules", "DescribeTargetGroups", "DescribeTargetGroupAttributes", "DescribeTargetHealth"].map((a) => `elasticloadbalancing:${a}`)];
    const ssmReads = ["ssm:DescribeInstanceInformation", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:CancelCommand"];
    const classicReads = ["DescribeLoadBalancers", "DescribeLoadBalancerAttributes", "DescribeInstanceHealth"].map((a) => `elasticloadbalancing:${a}`);
    expect([...starred].sort()).toEqual(["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeInstances", "cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", ...logDelivery, ...ssmReads, ...ecsReads, ...classicReads, "states:SendTaskFailure", "states:SendTaskSuccess"].sort());
    expect(Object.keys(RESOURCE_STAR_ALLOWED).sort()).toEqual([...starred].sort());
  });

  it("uses one role per function and none from the framework", () => {
    const roles = Object.entries(pkg.template.Resources).filter(([, r]) => r.Type === "AWS::IAM::Role").filter((e) => !isPipeline(e)).map(([id]) => id);
    expect(roles.sort()).toEqual([...Object.keys(FUNCTIONS).map(roleOf), "DeployLambdaStateMachineRole", "DeployEcsStateMachineRole", "BakeWatcherStateMachineRole", "ReleaseStateMachineRole", "DeployServerStateMachineRole", "DeployServerBatchStateMachineRole"].sort());
  });

  it("state machine role: invoke only the functions the definition calls and put events on our bus; traffic moves in the functions", () => {
    const invoke = statementsOf(pkg.template, "DeployLambdaStateMachineRole", "InvokeStepDeployFunctions");
    expect(invoke.Action).toEqual(["lambda:InvokeFunction"]);
    const granted = asList(invoke.Resource);
    expect(granted).toHaveLength(2 * INVOKED_BY_STATE_MACHINE.length);
    for (const key of INVOKED_BY_STATE_MACHINE) {
      const id = FUNCTIONS[key];
      expect(granted, key).toContainEqual({ "Fn::GetAtt": [id, "Arn"] });
      expect(granted, key).toContainEqual({ "Fn::Sub": `\${${id}.Arn}:*` });
    }
    for (const key of RULE_TARGETS) expect(JSON.stringify(granted), key).not.toContain(FUNCTIONS[key]);
    const events = statementsOf(pkg.template, "DeployLambdaStateMachineRole", "PublishDeploymentEvents");
    expect(events.Action).toEqual(["events:PutEvents"]);
    expect(events.Resource).toEqual([{ "Fn::GetAtt": ["StepDeployEventBus", "Arn"] }]);
    expect(roleStatements(pkg.template, "DeployLambdaStateMachineRole").map((s) => s.Sid)).toEqual(["InvokeStepDeployFunctions", "PublishDeploymentEvents"]);
    const watcher = statementsOf(pkg.template, "BakeWatcherStateMachineRole", "InvokeCheckBake");
    expect(watcher.Resource).toEqual([{ "Fn::GetAtt": ["CheckBakeLambdaFunction", "Arn"] }, { "Fn::Sub": "${CheckBakeLambdaFunction.Arn}:*" }]);
  });

  it("deploy-ecs role: invoke exactly the functions its definition calls (the shared engine's and the ECS steps), put events on our bus", () => {
    const definition = JSON.stringify(JSON.parse(readFileSync(path.join(ROOT, "statemachines/deploy-ecs.asl.json"), "utf8")));
    const called = Object.entries(FUNCTIONS).filter(([, id]) => definition.includes(`"${id}"`)).map(([key]) => key);
    expect(called.sort()).toEqual([...INVOKED_BY_DEPLOY_ECS].sort());
    const granted = asList(statementsOf(pkg.template, "DeployEcsStateMachineRole", "InvokeStepDeployFunctions").Resource);
    expect(granted).toHaveLength(2 * INVOKED_BY_DEPLOY_ECS.length);
    for (const key of INVOKED_BY_DEPLOY_ECS) expect(granted, key).toContainEqual({ "Fn::GetAtt": [FUNCTIONS[key], "Arn"] });
    expect(roleStatements(pkg.template, "DeployEcsStateMachineRole").map((s) => s.Sid)).toEqual(["InvokeStepDeployFunctions", "PublishDeploymentEvents"]);
  });

  const scoped = [
    ["ShiftTrafficRole", "ShiftTargetAliases", "target"],
    ["RollBackRole", "RestoreTargetAliases", "target"],
    ["JanitorRole", "RestoreTargetAliases", "target"],
    ["StartRole", "ReadTargetFunctions", "target"],
    ["StartRole", "CheckHookFunctionsExist", "hook"],
    ["RunHookRole", "InvokeHooks", "hook"],
  ] as const;

  it("the patterns' defaults in serverless.yml: no function for targets until named, CodeDeploy's hook naming for hooks", () => {
    const doc = parse(readFileSync(path.join(ROOT, "serverless.yml"), "utf8"), { logLevel: "silent" }) as { params?: { default?: Record<string, string> } };
    expect(doc.params?.default).toMatchObject({ targetFunctionPattern: "", hookFunctionPattern: "CodeDeployHook_*" });
  });

  it.each(scoped)("%s %s: follows the --param value, pinned to the stack's account and region, qualified ARNs too", (role, sid, kind) => {
    const pattern = kind === "target" ? PACKAGE_PARAMS.targetFunctionPattern : PACKAGE_PARAMS.hookFunctionPattern;
    expect(subs(statementsOf(pkg.template, role, sid).Resource)).toEqual([`${LAMBDA_ARN_PREFIX}${pattern}`, `${LAMBDA_ARN_PREFIX}${pattern}:*`]);
  });

  it("each function role writes logs only to its own log group; concludeFailure gets nothing else", () => {
    for (const key of Object.keys(FUNCTIONS)) {
      const roleId = roleOf(key);
      const logs = statementsOf(pkg.template, roleId, "Logs");
      expect(logs.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
      expect(logs.Resource).toEqual([{ "Fn::GetAtt": [`${key.charAt(0).toUpperCase()}${key.slice(1)}LogGroup`, "Arn"] }]);
    }
    expect(roleStatements(pkg.template, "ConcludeFailureRole").map((s) => s.Sid)).toEqual(["Logs"]);
  });
});

describe("packaged template: registry table", () => {
  it("RegistryTable is REGISTRY_TABLE_DEFINITION (keys, attributes, indexes, on-demand), named stepdeploy-<stage>-registry", () => {
    const table = pkg.template.Resources.RegistryTable;
    expect(table?.Type).toBe("AWS::DynamoDB::Table");
    const { PointInTimeRecoverySpecification, ...rest } = table?.Properties ?? {};
    // registryTableResource() is what functions/adapters/dynamodb-registry.ts exports for CloudFormation.
    expect(rest).toEqual(registryTableResource(`stepdeploy-${STAGE}-registry`).Properties);
    expect(PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const props = pkg.template.Resources.RegistryTable?.Properties ?? {};
    expect(props.KeySchema).toEqual(REGISTRY_TABLE_DEFINITION.KeySchema);
    expect(props.AttributeDefinitions).toEqual(REGISTRY_TABLE_DEFINITION.AttributeDefinitions);
    expect(props.GlobalSecondaryIndexes).toEqual(REGISTRY_TABLE_DEFINITION.GlobalSecondaryIndexes);
    expect(props.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("outputs the table's name and ARN", () => {
    expect(pkg.template.Outputs?.RegistryTableName).toMatchObject({ Value: { Ref: "RegistryTable" } });
    expect(pkg.template.Outputs?.RegistryTableArn).toMatchObject({ Value: TABLE_ARN });
  });
});

describe("packaged template: EventBridge rules", () => {
  const ruleFor = (t: CfnTemplate, key: FunctionKey) => {
    const found = rules(t).filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes(`"${FUNCTIONS[key]}"`));
    expect(found, key).toHaveLength(1);
    return found[0] as [string, CfnTemplate["Resources"][string]];
  };

  it("declares exactly seven rules, each with one target, all on the default bus but the group triggers' (the stack's bus)", () => {
    expect(rules(pkg.template)).toHaveLength(7);
    const [triggers] = ruleFor(pkg.template, "notifyTriggers");
    for (const [id, r] of rules(pkg.template)) {
      // no EventBusName: the account's default bus
      expect(r.Properties?.EventBusName, id).toEqual(id === triggers ? { Ref: "StepDeployEventBus" } : undefined);
      expect(r.Properties?.State, id).toBe("ENABLED");
      expect(r.Properties?.Targets, id).toHaveLength(1);
    }
  });

  it("alarmListener: every CloudWatch alarm that goes to ALARM", () => {
    const [, rule] = ruleFor(pkg.template, "alarmListener");
    expect(rule.Properties?.EventPattern).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { state: { value: ["ALARM"] } },
    });
    expect((rule.Properties?.Targets as Json[] | undefined)?.[0]).toMatchObject({ Arn: { "Fn::GetAtt": ["AlarmListenerLambdaFunction", "Arn"] } });
  });

  it("janitor: deploy-lambda, deploy-ecs and deploy-server executions that were aborted, timed out or failed (this stack's state machines only)", () => {
    const [, rule] = ruleFor(pkg.template, "janitor");
    expect(rule.Properties?.EventPattern).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: { status: ["ABORTED", "TIMED_OUT", "FAILED"], stateMachineArn: [{ Ref: "DeployLambdaStateMachine" }, { Ref: "DeployEcsStateMachine" }, { Ref: "DeployServerStateMachine" }] },
    });
    expect((rule.Properties?.Targets as Json[] | undefined)?.[0]).toMatchObject({ Arn: { "Fn::GetAtt": ["JanitorLambdaFunction", "Arn"] } });
    // Ref of AWS::StepFunctions::StateMachine is its ARN.
    expect(pkg.template.Resources.DeployLambdaStateMachine?.Type).toBe("AWS::StepFunctions::StateMachine");
  });

  it("launchServer: the launch lifecycle actions of stepdeploy's hooks on the default bus; it may start deploy-server executions only, once by name", () => {
    const [, rule] = ruleFor(pkg.template, "launchServer");
    expect(rule.Properties?.EventPattern).toEqual({ source: ["aws.autoscaling"], "detail-type": ["EC2 Instance-launch Lifecycle Action"], detail: { LifecycleHookName: [{ prefix: "stepdeploy-launch-" }] } });
    // the launch hook: put at a server deployment's Start, completed by launchServer (nothing to deploy) or deploy-server (its end), on serverAutoScalingGroupPattern's groups only
    const groups = ":autoScalingGroup:*:autoScalingGroupName/stepdeploy-no-server-auto-scaling-groups";
    expect(statementsOf(pkg.template, "StartServerRole", "PutLaunchHooks")).toMatchObject({ Action: ["autoscaling:PutLifecycleHook"] });
    expect(JSON.stringify(statementsOf(pkg.template, "StartServerRole", "PutLaunchHooks").Resource)).toContain(groups);
    expect(statementsOf(pkg.template, "LaunchServerRole", "ContinueLaunches")).toMatchObject({ Action: ["autoscaling:CompleteLifecycleAction"] });
    expect(JSON.stringify(statementsOf(pkg.template, "LaunchServerRole", "ContinueLaunches").Resource)).toContain(groups);
    expect(JSON.stringify(statementsOf(pkg.template, "DeployServerStateMachineRole", "CompleteLaunches"))).toContain(groups);
    expect(statementsOf(pkg.template, "LaunchServerRole", "StartLaunchDeployments")).toMatchObject({ Action: ["states:StartExecution"], Resource: [{ Ref: "DeployServerStateMachine" }] });
    expect(JSON.stringify(statementsOf(pkg.template, "LaunchServerRole", "FindStartedLaunchDeployments").Resource)).toContain(":execution:stepdeploy-ci-deploy-server:*");
    expect(statementsOf(pkg.template, "LaunchServerRole", "ReadInstanceStates")).toMatchObject({ Action: ["ec2:DescribeInstances"], Resource: "*" });
  });

  it("terminateServer: the terminate lifecycle actions of stepdeploy's termination hooks; deploy-server executions only, the same group pattern", () => {
    const [, rule] = ruleFor(pkg.template, "terminateServer");
    expect(rule.Properties?.EventPattern).toEqual({ source: ["aws.autoscaling"], "detail-type": ["EC2 Instance-terminate Lifecycle Action"], detail: { LifecycleHookName: [{ prefix: "stepdeploy-terminate-" }] } });
    const groups = ":autoScalingGroup:*:autoScalingGroupName/stepdeploy-no-server-auto-scaling-groups";
    expect(statementsOf(pkg.template, "TerminateServerRole", "ContinueTerminations")).toMatchObject({ Action: ["autoscaling:CompleteLifecycleAction"] });
    expect(JSON.stringify(statementsOf(pkg.template, "TerminateServerRole", "ContinueTerminations").Resource)).toContain(groups);
    expect(statementsOf(pkg.template, "TerminateServerRole", "StartTerminationDeployments")).toMatchObject({ Action: ["states:StartExecution"], Resource: [{ Ref: "DeployServerStateMachine" }] });
    expect(JSON.stringify(statementsOf(pkg.template, "TerminateServerRole", "FindStartedTerminationDeployments").Resource)).toContain(":execution:stepdeploy-ci-deploy-server:*");
  });

  it.each(RULE_TARGETS)("%s: EventBridge may invoke it, from its own rules only", (key) => {
    const own = rules(pkg.template).filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes(`"${FUNCTIONS[key]}"`));
    const permissions = Object.values(pkg.template.Resources).filter(
      (r) => r.Type === "AWS::Lambda::Permission" && JSON.stringify(r.Properties?.FunctionName) === JSON.stringify({ "Fn::GetAtt": [FUNCTIONS[key], "Arn"] }),
    );
    expect(permissions).toHaveLength(own.length);
    for (const [i, [, rule]] of own.entries()) {
      const p = permissions[i]?.Properties ?? {};
      expect(p.Action).toBe("lambda:InvokeFunction");
      expect(p.Principal).toBe("events.amazonaws.com");
      // A rule on the default bus is rule/<name>; one on the stack's bus rule/<bus>/<name>.
      expect(JSON.stringify(p.SourceArn)).toMatch(new RegExp(`"rule",(\\{"Ref":"StepDeployEventBus"\\},)?"${String(rule.Properties?.Name)}"`));
    }
  });
});

describe("packaged template: IAM for deployment safety and control", () => {
  // Exactly the DynamoDB actions each handler's code path calls (functions/adapters/dynamodb-registry.ts,
  // dynamodb-callbacks.ts); iam-coverage.test.ts runs the handlers and checks the calls against serverless.yml.
  const ALL = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"];
  const REGISTRY_ACTIONS: Record<string, string[]> = {
    start: ALL,
    closeUnstarted: ALL,
    // Operator requests before the write, progress after it.
    shiftTraffic: ["dynamodb:GetItem", "dynamodb:PutItem"],
    watchBake: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
    // Whose token waits; a gate without data records a pause.
    checkBake: ["dynamodb:GetItem", "dynamodb:PutItem"],
    holdPaused: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
    finalize: ALL,
    alarmListener: ["dynamodb:Query"],
    janitor: ALL,
    // The deployment's times for a trigger's message.
    notifyTriggers: ["dynamodb:GetItem"],
    ecsStart: ALL,
    ecsWait: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
    serverWait: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
    // Server: the record, its lock and progress; the stop request, the progress and a follow-on deployment's record and
    // queue place; the rollback's record, links and queue place; a launch deployment's record (the group's lock read).
    startServer: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
    // ... and each batch's instance health.
    nextServerBatch: [...ALL, "dynamodb:BatchWriteItem"],
    // A running batch's poll reads the stop request.
    pollServerCommands: ["dynamodb:GetItem"],
    rollBackServer: ALL,
    launchServer: ["dynamodb:GetItem", "dynamodb:PutItem"],
    // ... and what the group's deployments left on the scaled-in instance (instance health).
    terminateServer: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
  };

  it.each(Object.entries(REGISTRY_ACTIONS))("%s: registry actions on the table only", (key, actions) => {
    const st = statementsOf(pkg.template, roleOf(key), "Registry");
    expect(st.Action).toEqual(actions);
    expect(st.Resource).toEqual([TABLE_ARN]);
  });

  it("no role may touch the table's indexes, and only the registry functions may touch the table", () => {
    const roles = Object.entries(pkg.template.Resources).filter(([, r]) => r.Type === "AWS::IAM::Role");
    for (const [id, r] of roles) {
      for (const st of roleStatements(pkg.template, id)) {
        expect(JSON.stringify(st.Resource), `${id} ${st.Sid}`).not.toContain("/index/");
        if (isPipeline([id, r])) continue;
        const dynamo = asList(st.Action).some((a) => a.startsWith("dynamodb:"));
        if (dynamo) expect(Object.keys(REGISTRY_ACTIONS).map(roleOf), `${id} ${st.Sid}`).toContain(id);
      }
    }
  });

  it("task tokens: each function answers only the tokens it must, with the one action it needs", () => {
    const expected: Record<string, [string, string][]> = {
      start: [["AnswerOwnToken", "states:SendTaskSuccess"]],
      watchBake: [["AnswerOwnToken", "states:SendTaskSuccess"]],
      holdPaused: [["AnswerOwnToken", "states:SendTaskSuccess"]],
      checkBake: [
        ["AnswerBakeToken", "states:SendTaskSuccess"],
        ["FailBakeToken", "states:SendTaskFailure"],
      ],
      alarmListener: [["AnswerTaskTokens", "states:SendTaskFailure"]],
      closeUnstarted: [["WakeNextInLine", "states:SendTaskFailure"]],
      finalize: [["WakeNextInLine", "states:SendTaskFailure"]],
      janitor: [["WakeNextInLine", "states:SendTaskFailure"]],
      ecsStart: [["AnswerOwnToken", "states:SendTaskSuccess"]],
      ecsWait: [["AnswerOwnToken", "states:SendTaskSuccess"]],
      serverWait: [["AnswerOwnToken", "states:SendTaskSuccess"]],
    };
    for (const key of Object.keys(FUNCTIONS)) {
      const tokenStatements = roleStatements(pkg.template, roleOf(key)).filter((s) => asList(s.Action).some((a) => a.startsWith("states:SendTask")));
      expect(tokenStatements.map((s) => [s.Sid, s.Action, s.Resource]), key).toEqual((expected[key] ?? []).map(([sid, action]) => [sid, [action], "*"]));
    }
    expect(roleStatements(pkg.template, "DeployLambdaStateMachineRole").flatMap((s) => asList(s.Action)).filter((a) => a.startsWith("states:"))).toEqual([]);
  });

  it("the bake watcher is started only by the Bake (and, to hand over, by itself)", () => {
    for (const key of ["watchBake", "checkBake"]) {
      const st = roleStatements(pkg.template, roleOf(key)).find((s) => asList(s.Action).includes("states:StartExecution"));
      expect(st?.Resource, key).toEqual([{ Ref: "BakeWatcherStateMachine" }]);
    }
  });

  it("metric gates are read (GetMetricData) only by the bake watcher's check", () => {
    for (const key of Object.keys(FUNCTIONS).filter((k) => !["dispatchRelease", "planRelease", "uploadCodePackage", "buildDeployment"].includes(k))) {
      const sids = roleStatements(pkg.template, roleOf(key)).map((s) => s.Sid);
      expect(sids.includes("ReadMetricGates"), key).toBe(key === "checkBake");
    }
  });

  it("alarms are read by the functions that check them, and only those", () => {
    const readers = ["start", "runHook", "shiftTraffic", "watchBake", "checkBake", "holdPaused"];
    for (const key of readers) expect(statementsOf(pkg.template, roleOf(key), "ReadAlarms").Action, key).toEqual(["cloudwatch:DescribeAlarms"]);
    for (const key of ["closeUnstarted", "concludeFailure", "rollBack", "finalize", "alarmListener", "janitor"]) {
      expect(roleStatements(pkg.template, roleOf(key)).map((s) => s.Sid), key).not.toContain("ReadAlarms");
    }
  });

  it("janitor: reads and restores aliases (GetAlias, UpdateAlias) and publishes on the stack's bus", () => {
    expect(statementsOf(pkg.template, "JanitorRole", "RestoreTargetAliases").Action).toEqual(["lambda:UpdateAlias", "lambda:GetAlias"]);
    const events = statementsOf(pkg.template, "JanitorRole", "PublishDeploymentEvents");
    expect(events.Action).toEqual(["events:PutEvents"]);
    expect(events.Resource).toEqual([{ "Fn::GetAtt": ["StepDeployEventBus", "Arn"] }]);
    expect(roleStatements(pkg.template, "JanitorRole").map((s) => s.Sid)).toEqual(["Logs", "Registry", "RestoreTargetAliases", "PublishDeploymentEvents", "WakeNextInLine", "ReadRoutes", "MoveRoutes", "RemoveReplacement", "ReadServerFleets", "ServerTrafficBack", "ReadClassicLoadBalancers", "ClassicRerouteBack", "DeleteCopiedGroup"]);
    expect(statementsOf(pkg.template, "JanitorRole", "DeleteCopiedGroup").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:autoscaling:${AWS::Region}:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/CodeDeploy_*" }]);
  });

  it("group deployments of every platform read revisions only from the groups file's revisionBuckets", () => {
    const grant = (key: string) => roleStatements(pkg.template, roleOf(key)).find((s) => s.Sid === "ReadGroupRevisions");
    expect(grant("start")).toBeDefined();
    expect(grant("ecsStart")).toEqual(grant("start"));
    expect(grant("startServer")).toEqual(grant("start"));
  });

  it("each deployment function's role: exactly its statements", () => {
    const sids: Record<string, string[]> = {
      start: ["Logs", "ReadTargetFunctions", "CheckHookFunctionsExist", "ReadAlarms", "ReadGroupRevisions", "Registry", "AnswerOwnToken"],
      notifyTriggers: ["Logs", "Registry", "PublishTriggers"],
      closeUnstarted: ["Logs", "Registry", "WakeNextInLine"],
      runHook: ["Logs", "ReadAlarms", "InvokeHooks"],
      shiftTraffic: ["Logs", "Registry", "ReadAlarms", "ShiftTargetAliases", "ReadRoutes", "MoveRoutes"],
      watchBake: ["Logs", "Registry", "ReadAlarms", "AnswerOwnToken", "StartBakeWatcher"],
      checkBake: ["Logs", "Registry", "ReadAlarms", "ReadMetricGates", "AnswerBakeToken", "FailBakeToken", "HandOverToFreshWatcher"],
      holdPaused: ["Logs", "Registry", "ReadAlarms", "AnswerOwnToken"],
      rollBack: ["Logs", "RestoreTargetAliases"],
      finalize: ["Logs", "Registry", "WakeNextInLine"],
      alarmListener: ["Logs", "Registry", "AnswerTaskTokens"],
      ecsStart: ["Logs", "ReadGroupRevisions", "CheckHookFunctionsExist", "ReadAlarms", "Registry", "AnswerOwnToken", "ReadService", "ReadTaskDefinitions", "ReadLoadBalancers"],
      ecsInstall: ["Logs", "ReadRoutes", "MoveRoutes", "CreateReplacement"],
      ecsCheckReplacement: ["Logs", "ReadTaskSets", "ReadTargetHealth"],
      ecsAllowTestTraffic: ["Logs", "ReadRoutes", "MoveRoutes"],
      ecsRunHook: ["Logs", "ReadAlarms", "InvokeHooks"],
      ecsWait: ["Logs", "Registry", "ReadAlarms", "AnswerOwnToken"],
      ecsCleanUp: ["Logs", "SwapPrimary"],
      ecsRollBack: ["Logs", "ReadRoutes", "MoveRoutes", "RemoveReplacement"],
    };
    for (const [key, want] of Object.entries(sids)) expect(roleStatements(pkg.template, roleOf(key)).map((s) => s.Sid), key).toEqual(want);
  });

  it("EC2 BlockTraffic/AllowTraffic: instances move only in the target groups of serverTargetGroupPattern (Classic Load Balancers: serverClassicLoadBalancerPattern); the batch machine invokes its four functions", () => {
    const groups = [{ "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/stepdeploy-no-server-target-groups/*" }];
    expect(statementsOf(pkg.template, "MoveServerTrafficRole", "MoveInstances")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"], Resource: groups });
    expect(statementsOf(pkg.template, "CheckServerTrafficRole", "DeregisterFailedInstances")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterTargets"], Resource: groups });
    expect(statementsOf(pkg.template, "CheckServerTrafficRole", "ReadTargetHealth")).toMatchObject({ Action: ["elasticloadbalancing:DescribeTargetHealth"], Resource: "*" });
    expect(statementsOf(pkg.template, "StartServerRole", "ResolveTargetGroups")).toMatchObject({ Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"], Resource: "*" });
    expect(roleStatements(pkg.template, "MoveServerTrafficRole").map((s) => s.Sid)).toEqual(["Logs", "MoveInstances", "ReadRoutes", "MoveRoutes", "MoveClassicInstances", "ReadClassicInstances"]);
    // Weighted blue/green (docs/ec2.md#weighted): listeners and rules only, for the join at weight 0, the rollback's restore; the shared step handlers
    const routes = [{ "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:listener/*" }, { "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:listener-rule/*" }];
    for (const role of ["MoveServerTrafficRole", "RollBackServerRole"]) expect(statementsOf(pkg.template, role, "MoveRoutes"), role).toMatchObject({ Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"], Resource: routes });
    // The blue/green rollback moves instances in batch children (moveServerTraffic); rollBackServer only deregisters a replacement that failed its block.
    expect(roleStatements(pkg.template, "RollBackServerRole").map((s) => s.Sid)).toEqual(["Logs", "Registry", "RerouteBack", "ReadClassicLoadBalancers", "ClassicRerouteBack", "ReadRoutes", "MoveRoutes", "DeleteCopiedGroup"]);
    expect(statementsOf(pkg.template, "RollBackServerRole", "RerouteBack")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterTargets"], Resource: groups });
    const serverInvoked = asList(statementsOf(pkg.template, "DeployServerStateMachineRole", "InvokeStepDeployFunctions").Resource);
    for (const key of ["shiftTraffic", "watchBake", "holdPaused"] as const) expect(serverInvoked, key).toContainEqual({ "Fn::GetAtt": [FUNCTIONS[key], "Arn"] });
    expect(roleStatements(pkg.template, "CheckServerTrafficRole").map((s) => s.Sid)).toEqual(["Logs", "ReadTargetHealth", "DeregisterFailedInstances", "ReadInstanceHealth", "DeregisterFailedClassicInstances"]);
    // Classic Load Balancers (elbInfoList): instances move only in serverClassicLoadBalancerPattern's load balancers; Describe* on "*" (no resource type)
    const classic = [{ "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:loadbalancer/stepdeploy-no-server-classic-load-balancers" }];
    expect(statementsOf(pkg.template, "MoveServerTrafficRole", "MoveClassicInstances")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterInstancesFromLoadBalancer", "elasticloadbalancing:RegisterInstancesWithLoadBalancer"], Resource: classic });
    expect(statementsOf(pkg.template, "CheckServerTrafficRole", "DeregisterFailedClassicInstances")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterInstancesFromLoadBalancer"], Resource: classic });
    expect(statementsOf(pkg.template, "CheckServerTrafficRole", "ReadInstanceHealth")).toMatchObject({ Action: ["elasticloadbalancing:DescribeInstanceHealth", "elasticloadbalancing:DescribeLoadBalancers"], Resource: "*" });
    // Blue/green behind Classic Load Balancers: the janitor puts the originals back on the same load balancers only; the
    // rollback's restore and block are batch children (moveServerTraffic), so rollBackServer only deregisters a replacement that failed its block
    expect(statementsOf(pkg.template, "JanitorRole", "ClassicRerouteBack")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterInstancesFromLoadBalancer", "elasticloadbalancing:RegisterInstancesWithLoadBalancer"], Resource: classic });
    expect(statementsOf(pkg.template, "RollBackServerRole", "ClassicRerouteBack")).toMatchObject({ Action: ["elasticloadbalancing:DeregisterInstancesFromLoadBalancer"], Resource: classic });
    for (const role of ["RollBackServerRole", "JanitorRole"]) {
      expect(statementsOf(pkg.template, role, "ReadClassicLoadBalancers"), role).toMatchObject({ Action: ["elasticloadbalancing:DescribeLoadBalancers"], Resource: "*" });
    }
    expect(statementsOf(pkg.template, "StartServerRole", "ResolveClassicLoadBalancers")).toMatchObject({ Action: ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"], Resource: "*" });
    // COPY_AUTO_SCALING_GROUP: the copy launches from the original's template with the caller's RunInstances, tags at launch only, and only serverInstanceRolePattern's roles passed to EC2
    expect(statementsOf(pkg.template, "StartServerRole", "LaunchCopiedGroup")).toMatchObject({ Action: ["ec2:RunInstances"], Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*" }, { "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}::image/*" }] });
    expect(statementsOf(pkg.template, "StartServerRole", "TagCopiedInstances")).toMatchObject({ Action: ["ec2:CreateTags"], Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } } });
    expect(statementsOf(pkg.template, "StartServerRole", "PassInstanceRole")).toMatchObject({ Action: ["iam:PassRole"], Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/stepdeploy-no-server-instance-roles" }], Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } });
    expect(statementsOf(pkg.template, "StartServerRole", "CopyAutoScalingGroup").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:autoscaling:${AWS::Region}:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/CodeDeploy_*" }]);
    const invoked = asList(statementsOf(pkg.template, "DeployServerBatchStateMachineRole", "InvokeStepDeployFunctions").Resource);
    for (const key of ["sendServerCommands", "pollServerCommands", "moveServerTraffic", "checkServerTraffic"] as const) expect(invoked, key).toContainEqual({ "Fn::GetAtt": [FUNCTIONS[key], "Arn"] });
  });
});

describe("packaged template: CloudFormation spec check (scripts/check-cfn.ts)", () => {
  it("finds no errors in the packaged template", async () => {
    const spec = await loadSpecLookup();
    const errors = checkTemplate(pkg.template as unknown as Parameters<typeof checkTemplate>[0], spec).filter((f) => f.level === "error");
    expect(errors).toEqual([]);
  });
});

describe("packaged template: releases", () => {
  it("dispatchRelease: S3 Object Created and successful ECR pushes, filtered by the stage's sources (a stage without its own list has none: nothing matches)", () => {
    const found = rules(pkg.template).filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes('"DispatchReleaseLambdaFunction"'));
    expect(found.map(([, r]) => r.Properties?.EventPattern)).toEqual([
      { source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["-no-release-source-"] } } },
      { source: ["aws.ecr"], "detail-type": ["ECR Image Action"], detail: { "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ["-no-release-source-"] } },
    ]);
    const env = (pkg.template.Resources.DispatchReleaseLambdaFunction?.Properties?.Environment as { Variables: Record<string, Json> } | undefined)?.Variables ?? {};
    expect(env.RELEASE_SOURCES).toBe("[]");
    expect(env.RELEASE_STATE_MACHINE_ARN).toEqual({ "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:stepdeploy-" + STAGE + "-release" });
    expect(roleStatements(pkg.template, "DispatchReleaseRole").map((s) => s.Sid)).toEqual(["Logs", "StartReleases", "FindStartedReleases"]);
  });

  it("release state machine role: its functions, publishing on target functions, the nested deployments and the .sync rule", () => {
    const invoke = asList(statementsOf(pkg.template, "ReleaseStateMachineRole", "InvokeReleaseFunctions").Resource);
    expect(invoke).toHaveLength(2 * INVOKED_BY_RELEASE.length);
    for (const key of INVOKED_BY_RELEASE) expect(invoke, key).toContainEqual({ "Fn::GetAtt": [FUNCTIONS[key], "Arn"] });
    expect(statementsOf(pkg.template, "ReleaseStateMachineRole", "PublishTargetVersions").Action).toEqual(["lambda:UpdateFunctionCode", "lambda:GetFunctionConfiguration", "lambda:PublishVersion"]);
    expect(statementsOf(pkg.template, "ReleaseStateMachineRole", "StartDeployments").Resource).toEqual([{ Ref: "DeployLambdaStateMachine" }, { Ref: "DeployEcsStateMachine" }]);
    // ECS releases: the sources' services only (none in this stage), and roles passed to ECS tasks only.
    expect(statementsOf(pkg.template, "PrepareEcsReleaseRole", "ReadReleasedServices").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/-no-release-source-/-no-release-source-" }]);
    expect((statementsOf(pkg.template, "PrepareEcsReleaseRole", "PassTaskRoles") as Statement & { Condition?: unknown }).Condition).toEqual({ StringLike: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    expect(statementsOf(pkg.template, "ReleaseStateMachineRole", "SyncExecutionRule").Resource).toEqual([
      { "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule" },
    ]);
    const sm = pkg.template.Resources.ReleaseStateMachine;
    expect(sm?.Type).toBe("AWS::StepFunctions::StateMachine");
    expect(JSON.stringify(sm?.Properties?.DefinitionString)).toContain("states:startExecution.sync:2");
  });

  it("bundle readers may read only the configured bundle prefixes; only uploadCodePackage may change code", () => {
    for (const role of ["PlanReleaseRole", "UploadCodePackageRole"]) {
      const read = statementsOf(pkg.template, role, "ReadReleaseBundles");
      expect(read.Action).toEqual(["s3:GetObject", "s3:GetObjectVersion"]);
      expect(read.Resource).toEqual(["arn:aws:s3:::-no-release-source-/*"]);
    }
    expect(roleStatements(pkg.template, "PlanReleaseRole").map((s) => s.Sid)).toEqual(["Logs", "ReadReleaseBundles", "ReadReleaseTargets", "CheckHookFunctionsExist", "ReadAlarms"]);
    expect(statementsOf(pkg.template, "UploadCodePackageRole", "UploadTargetCode").Action).toEqual(["lambda:UpdateFunctionCode"]);
    expect(roleStatements(pkg.template, "BuildDeploymentRole").map((s) => s.Sid)).toEqual(["Logs"]);
  });
});
