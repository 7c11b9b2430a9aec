// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTemplate, loadSpecLookup } from "../../../scripts/check-cfn.js";
import { asList, type CfnTemplate, type Json, type PackagedService, packageService, roleStatements, type Statement } from "./package-fixture.js";

const FUNCTIONS = {
  prepare: "PrepareLambdaFunction",
  checkAlarms: "CheckAlarmsLambdaFunction",
  runHook: "RunHookLambdaFunction",
  concludeFailure: "ConcludeFailureLambdaFunction",
} as const;
const LAMBDA_ARN_PREFIX = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";

let dev: PackagedService;
let prod: PackagedService;

beforeAll(async () => {
  // Two packagings in parallel: the defaults, and a prod stage with both patterns overridden.
  [dev, prod] = await Promise.all([
    packageService(),
    packageService(["--stage", "prod", "--param=targetFunctionPattern=orders-*", "--param=hookFunctionPattern=CodeDeployHook_orders*"]),
  ]);
}, 180_000);

afterAll(() => {
  dev?.cleanup();
  prod?.cleanup();
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
    const props = dev.template.Resources.DeployLambdaStateMachine?.Properties;
    expect(props?.StateMachineName).toBe("stepdeploy-dev-deploy-lambda");
    expect(props?.StateMachineType).toBe("STANDARD");
    expect(props?.RoleArn).toEqual({ "Fn::GetAtt": ["DeployLambdaStateMachineRole", "Arn"] });
    expect(prod.template.Resources.DeployLambdaStateMachine?.Properties?.StateMachineName).toBe("stepdeploy-prod-deploy-lambda");
  });

  it("substitutes our four functions' ARNs into every lambda:invoke task (Fn::Sub variable map)", () => {
    const { definition, substitution } = definitionOf(dev.template);
    const invokes = allStates(definition.States).filter(([, s]) => s.Type === "Task" && s.Resource === "arn:aws:states:::lambda:invoke");
    expect(invokes.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const [name, s] of invokes) {
      const target = substitution(s.Parameters?.FunctionName);
      expect(target, `${name}.Parameters.FunctionName`).toMatchObject({ "Fn::GetAtt": [expect.any(String), "Arn"] });
      const logicalId = (target as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
      expect(Object.values(FUNCTIONS)).toContain(logicalId);
      expect(dev.template.Resources[logicalId]?.Type).toBe("AWS::Lambda::Function");
      used.add(logicalId);
    }
    expect([...used].sort()).toEqual(Object.values(FUNCTIONS).sort());
  });

  it("sends events:putEvents to the stack's bus (Ref StepDeployEventBus)", () => {
    const { definition, substitution } = definitionOf(dev.template);
    const puts = allStates(definition.States).filter(([, s]) => s.Resource === "arn:aws:states:::events:putEvents");
    expect(puts.length).toBeGreaterThan(0);
    for (const [name, s] of puts) {
      const entries = s.Parameters?.Entries as Array<Record<string, Json>>;
      for (const entry of entries) expect(substitution(entry.EventBusName), name).toEqual({ Ref: "StepDeployEventBus" });
    }
  });

  it("leaves no ${...} placeholder that the substitution map does not define", () => {
    const { text, vars } = definitionOf(dev.template);
    const placeholders = [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const p of placeholders) expect(Object.keys(vars)).toContain(p);
  });
});

describe("packaged template: bus and functions", () => {
  it("declares the EventBridge bus stepdeploy-<stage> as StepDeployEventBus", () => {
    expect(dev.template.Resources.StepDeployEventBus).toEqual({ Type: "AWS::Events::EventBus", Properties: { Name: "stepdeploy-dev" } });
    expect(prod.template.Resources.StepDeployEventBus?.Properties?.Name).toBe("stepdeploy-prod");
  });

  it.each(Object.entries(FUNCTIONS))("%s: nodejs20.x on arm64, own role, bus name and Powertools env", (key, logicalId) => {
    const props = dev.template.Resources[logicalId]?.Properties ?? {};
    expect(props.Handler).toBe(`functions/handlers/${key}.handler`);
    expect(props.Runtime).toBe("nodejs20.x");
    expect(props.Architectures).toEqual(["arm64"]);
    const roleId = `${key.charAt(0).toUpperCase()}${key.slice(1)}Role`;
    expect(props.Role).toEqual({ "Fn::GetAtt": [roleId, "Arn"] });
    expect((props.Environment as { Variables: Record<string, Json> }).Variables).toEqual({
      EVENT_BUS_NAME: { Ref: "StepDeployEventBus" },
      POWERTOOLS_SERVICE_NAME: "stepdeploy",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
  });

  it.each(Object.keys(FUNCTIONS))("%s.zip holds only its ESM bundle, at the path the Handler names", async (key) => {
    const entries = await zipEntries(path.join(dev.dir, ".serverless", `${key}.zip`));
    expect(entries).toEqual([`functions/handlers/${key}.mjs`]);
  });
});

describe("packaged bundles", () => {
  it("load outside the repository (no node_modules) and export a handler; prepare rejects bad input", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-bundles-"));
    try {
      for (const key of Object.keys(FUNCTIONS)) await unzip(path.join(dev.dir, ".serverless", `${key}.zip`), dir);
      const script = `
        const names = ${JSON.stringify(Object.keys(FUNCTIONS))};
        const out = {};
        for (const n of names) out[n] = typeof (await import("./functions/handlers/" + n + ".mjs")).handler;
        const { handler } = await import("./functions/handlers/prepare.mjs");
        out.prepare_error = await handler({ input: {} }).then(() => "no error", (e) => e.name);
        console.log(JSON.stringify(out));`;
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      });
      expect(JSON.parse(stdout)).toEqual({ prepare: "function", checkAlarms: "function", runHook: "function", concludeFailure: "function", prepare_error: "Deploy.InvalidInput" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("packaged template: IAM", () => {
  const iamStatements = (t: CfnTemplate): Array<[string, Statement]> =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === "AWS::IAM::Role")
      .flatMap(([id]) => roleStatements(t, id).map((s) => [id, s] as [string, Statement]));

  it("has no wildcard in any Action, and Resource '*' only for cloudwatch:DescribeAlarms", () => {
    const all = iamStatements(dev.template);
    expect(all.length).toBeGreaterThan(0);
    for (const [role, st] of all) {
      for (const action of asList(st.Action)) expect(action, `${role} ${st.Sid}`).not.toContain("*");
      if (asList(st.Resource).includes("*")) expect(asList(st.Action), `${role} ${st.Sid}`).toEqual(["cloudwatch:DescribeAlarms"]);
    }
  });

  it("uses one role per function and none from the framework", () => {
    const roles = Object.entries(dev.template.Resources).filter(([, r]) => r.Type === "AWS::IAM::Role").map(([id]) => id);
    expect(roles.sort()).toEqual(["CheckAlarmsRole", "ConcludeFailureRole", "DeployLambdaStateMachineRole", "PrepareRole", "RunHookRole"]);
  });

  it("state machine role: invoke only our functions, shift target aliases, put events on our bus", () => {
    const invoke = statementsOf(dev.template, "DeployLambdaStateMachineRole", "InvokeStepDeployFunctions");
    expect(invoke.Action).toEqual(["lambda:InvokeFunction"]);
    expect(asList(invoke.Resource)).toEqual(
      Object.values(FUNCTIONS).flatMap((id) => [{ "Fn::GetAtt": [id, "Arn"] }, { "Fn::Sub": `\${${id}.Arn}:*` }]),
    );
    const events = statementsOf(dev.template, "DeployLambdaStateMachineRole", "PublishDeploymentEvents");
    expect(events.Action).toEqual(["events:PutEvents"]);
    expect(events.Resource).toEqual([{ "Fn::GetAtt": ["StepDeployEventBus", "Arn"] }]);
    const shift = statementsOf(dev.template, "DeployLambdaStateMachineRole", "ShiftTargetAliases");
    expect(shift.Action).toEqual(["lambda:UpdateAlias", "lambda:GetAlias"]);
  });

  const scoped = [
    ["DeployLambdaStateMachineRole", "ShiftTargetAliases", "target"],
    ["PrepareRole", "ReadTargetFunctions", "target"],
    ["PrepareRole", "CheckHookFunctionsExist", "hook"],
    ["RunHookRole", "InvokeHooks", "hook"],
  ] as const;

  it.each(scoped)("%s %s: default pattern, pinned to the stack's account and region, qualified ARNs too", (role, sid, kind) => {
    const pattern = kind === "target" ? "*" : "CodeDeployHook_*";
    expect(subs(statementsOf(dev.template, role, sid).Resource)).toEqual([`${LAMBDA_ARN_PREFIX}${pattern}`, `${LAMBDA_ARN_PREFIX}${pattern}:*`]);
  });

  it.each(scoped)("%s %s: follows --param overrides", (role, sid, kind) => {
    const pattern = kind === "target" ? "orders-*" : "CodeDeployHook_orders*";
    expect(subs(statementsOf(prod.template, role, sid).Resource)).toEqual([`${LAMBDA_ARN_PREFIX}${pattern}`, `${LAMBDA_ARN_PREFIX}${pattern}:*`]);
  });

  it("each function role writes logs only to its own log group; concludeFailure gets nothing else", () => {
    for (const key of Object.keys(FUNCTIONS)) {
      const roleId = `${key.charAt(0).toUpperCase()}${key.slice(1)}Role`;
      const logs = statementsOf(dev.template, roleId, "Logs");
      expect(logs.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
      expect(logs.Resource).toEqual([{ "Fn::GetAtt": [`${key.charAt(0).toUpperCase()}${key.slice(1)}LogGroup`, "Arn"] }]);
    }
    expect(roleStatements(dev.template, "ConcludeFailureRole").map((s) => s.Sid)).toEqual(["Logs"]);
  });
});

describe("packaged template: CloudFormation spec check (scripts/check-cfn.ts)", () => {
  it("finds no errors in the default and the overridden template", async () => {
    const spec = await loadSpecLookup();
    for (const t of [dev.template, prod.template]) {
      const errors = checkTemplate(t as unknown as Parameters<typeof checkTemplate>[0], spec).filter((f) => f.level === "error");
      expect(errors).toEqual([]);
    }
  });
});
