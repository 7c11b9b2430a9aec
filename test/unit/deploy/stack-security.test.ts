// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is serverless.yml / CloudFormation syntax
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageService, ROOT } from "./package-fixture.js";

/**
 * The stack allows nothing by default and never changes stepdeploy itself: the deploy-time
 * parameters are checked before anything is packaged (config/stack-params.cjs), every role carries
 * the Deny on stepdeploy's own functions, and the asynchronously invoked functions have a
 * dead-letter queue. serverless.yml is read as written; one real `osls package` run per refusal.
 */
type Params = Record<string, string | undefined>;
const stackParams = createRequire(import.meta.url)("../../../config/stack-params.cjs") as { check(params: Params, ctx: { stage: string; service: string }): Record<string, unknown> };
const HOOKS = "CodeDeployHook_*";
const refusal = (params: Params, stage = "dev"): string => {
  try {
    stackParams.check(params, { stage, service: "stepdeploy" });
  } catch (e) {
    return (e as Error).message;
  }
  return "(accepted)";
};

describe("deploy-time parameters (config/stack-params.cjs)", () => {
  it.each<[string, Params, RegExp]>([
    ["no targetFunctionPattern", { hookFunctionPattern: HOOKS }, /targetFunctionPattern is not set: the stack allows no function until you name the ones stepdeploy may deploy\. Deploy with e\.g\. npx osls deploy --stage <stage> --param="targetFunctionPattern=orders-\*"/],
    ["an empty one", { targetFunctionPattern: "", hookFunctionPattern: HOOKS }, /targetFunctionPattern is not set/],
    ["'*' alone", { targetFunctionPattern: "*", hookFunctionPattern: HOOKS }, /targetFunctionPattern '\*' matches every function in the account and region: the roles could replace the code and move the aliases of all of them, so it is refused/],
    ["wildcards only", { targetFunctionPattern: "?*", hookFunctionPattern: HOOKS }, /'\?\*' matches every function/],
    ["an ARN", { targetFunctionPattern: "arn:aws:lambda:us-east-1:123456789012:function:orders", hookFunctionPattern: HOOKS }, /is not a function-name pattern/],
    ["a qualifier", { targetFunctionPattern: "orders:live", hookFunctionPattern: HOOKS }, /'orders:live' is not a function-name pattern/],
    ["'*' as the hook pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: "*" }, /hookFunctionPattern '\*' matches every function.*invoke, as deployment hooks/],
    ["a bad flag", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, tracing: "yes" }, /tracing must be true or false, got 'yes'/],
    ["a bad log level", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, executionLogLevel: "DEBUG" }, /executionLogLevel must be one of OFF, ERROR, FATAL, ALL/],
    ["'*' as the server target group pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverTargetGroupPattern: "*" }, /serverTargetGroupPattern '\*' matches every target group/],
    ["a target group ARN as the pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverTargetGroupPattern: "targetgroup/orders/1" }, /is not a target group name pattern/],
    ["wildcards only as the server Classic Load Balancer pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverClassicLoadBalancerPattern: "**" }, /serverClassicLoadBalancerPattern '\*\*' matches every Classic Load Balancer/],
    ["a load balancer ARN as the Classic pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverClassicLoadBalancerPattern: "loadbalancer/orders" }, /is not a load balancer name pattern/],
    ["wildcards only as the server Auto Scaling group pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverAutoScalingGroupPattern: "*" }, /serverAutoScalingGroupPattern '\*' matches every Auto Scaling group/],
    ["a group ARN as the Auto Scaling group pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverAutoScalingGroupPattern: "autoScalingGroupName/orders" }, /is not an Auto Scaling group name pattern/],
    ["'*' as the server instance role pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverInstanceRolePattern: "*" }, /serverInstanceRolePattern '\*' matches every role in the account/],
    ["a role ARN as the instance role pattern", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, serverInstanceRolePattern: "role/orders" }, /is not a role name pattern/],
    ["a webhook secret parameter with a path", { targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, gitWebhookSecretParameter: "/ci/hook" }, /gitWebhookSecretParameter '\/ci\/hook' must be a Parameter Store name without a path/],
  ])("refuses %s, saying how to fix it", (_what, params, message) => {
    expect(refusal(params)).toMatch(message);
  });

  it("refuses a stage whose release sources deploy a function outside targetFunctionPattern", () => {
    expect(refusal({ targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS }, "local")).toMatch(
      /config\/releases\.local\.json: release source 'orders-api' deploys orders, which targetFunctionPattern 'orders-\*' does not cover/,
    );
    expect(refusal({ targetFunctionPattern: "orders", hookFunctionPattern: HOOKS }, "local")).toMatch(/'thumbnailer' deploys thumbnailer/);
    expect(refusal({ targetFunctionPattern: "*er*", hookFunctionPattern: HOOKS }, "local")).toBe("(accepted)");
  });

  it("turns the opt-in flags into the settings serverless.yml uses", () => {
    expect(stackParams.check({ targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS }, { stage: "dev", service: "stepdeploy" })).toEqual({
      targetFunctionPattern: "orders-*",
      hookFunctionPattern: HOOKS,
      tracing: false,
      lambdaTracing: "PassThrough",
      executionLogLevel: "OFF",
      executionLogData: false,
    });
    expect(stackParams.check({ targetFunctionPattern: "orders-*", hookFunctionPattern: HOOKS, tracing: "true", executionLogLevel: "ALL", executionLogData: "true" }, { stage: "dev", service: "stepdeploy" })).toMatchObject({
      tracing: true,
      lambdaTracing: "Active",
      executionLogLevel: "ALL",
      executionLogData: true,
    });
  });

  it.each([
    ["without a targetFunctionPattern", "--param=targetFunctionPattern=", /targetFunctionPattern is not set: the stack allows no function until you name the ones stepdeploy may deploy/],
    ["with '*'", "--param=targetFunctionPattern=*", /targetFunctionPattern '\*' matches every function in the account and region/],
  ])("osls package %s fails with that message, and packages nothing", async (_what, param, message) => {
    // packageService passes an example pattern first; a later --param wins.
    const failure = await packageService([param]).then(
      (p) => {
        p.cleanup();
        return "packaged";
      },
      (e: Error) => e.message,
    );
    expect(failure).toMatch(message);
    expect(failure).not.toMatch(/Service packaged/);
  }, 120_000);
});

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const doc = parse(readFileSync(path.join(ROOT, "serverless.yml"), "utf8")) as {
  params: { default: Record<string, string> };
  provider: { tracing: { lambda: string } };
  functions: Record<string, { role: string; onError?: unknown; events?: { eventBridge?: Record<string, unknown> }[] }>;
  stepFunctions: { stateMachines: Record<string, { tracingConfig?: unknown; loggingConfig?: Record<string, unknown> }> };
  resources: { Conditions: Record<string, unknown>; Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }> };
};
const resources = doc.resources.Resources;
const roles = Object.entries(resources).filter(([, r]) => r.Type === "AWS::IAM::Role");
const statementsOf = (id: string) => (resources[id]?.Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const CODE_OR_ALIAS = ["lambda:UpdateFunctionCode", "lambda:PublishVersion", "lambda:UpdateAlias"];
const ASYNC = ["dispatchRelease", "alarmListener", "janitor", "notifyTriggers", "launchServer", "terminateServer"];

describe("serverless.yml: stepdeploy never changes itself", () => {
  it("has no default targetFunctionPattern", () => {
    expect(doc.params.default.targetFunctionPattern).toBe("");
  });

  it("denies code, version and alias changes on every stage's stepdeploy functions", () => {
    const [deny] = statementsOf("NeverChangeStepDeploy");
    expect(deny?.Effect).toBe("Deny");
    expect(list(deny?.Action)).toEqual(expect.arrayContaining([...CODE_OR_ALIAS, "lambda:UpdateFunctionConfiguration", "lambda:CreateAlias", "lambda:DeleteFunction"]));
    expect(list(deny?.Resource)).toEqual([
      { "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${self:service}-*" },
      { "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${self:service}-*:*" },
    ]);
  });

  it.each(roles.map(([id]) => id))("%s carries the Deny (so does every role added later)", (id) => {
    expect(list(resources[id]?.Properties.ManagedPolicyArns)).toContainEqual({ Ref: "NeverChangeStepDeploy" });
  });

  it("lets the release roles change code only on the release sources' own functions", () => {
    const grants = roles.flatMap(([id, r]) =>
      (r.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement.map((st) => ({ id, st }))),
    );
    const codeWriters = grants.filter(({ st }) => st.Effect === "Allow" && list(st.Action).some((a) => a === "lambda:UpdateFunctionCode" || a === "lambda:PublishVersion"));
    expect(codeWriters.map(({ id, st }) => `${id} ${st.Sid}`).sort()).toEqual(["ReleaseStateMachineRole PublishTargetVersions", "UploadCodePackageRole UploadTargetCode"]);
    for (const { st } of codeWriters) expect(st.Resource).toBe("${file(./config/releases.cjs):releaseFunctionArns}");
  });
});

describe("serverless.yml: dead letters, tracing, execution logs", () => {
  it("gives the asynchronously invoked functions an encrypted dead-letter queue, for failed invocations and undeliverable events", () => {
    const queue = resources.DeadLetterQueue;
    expect(queue?.Type).toBe("AWS::SQS::Queue");
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const dlq = { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] };
    for (const key of ASYNC) {
      const fn = doc.functions[key];
      expect(fn?.onError, key).toEqual(dlq);
      expect(list(resources[fn?.role ?? ""]?.Properties.ManagedPolicyArns), key).toContainEqual({ Ref: "DeadLetterWrite" });
      for (const ev of fn?.events ?? []) expect(ev.eventBridge, key).toMatchObject({ deadLetterQueueArn: dlq, retryPolicy: { maximumEventAge: 86400, maximumRetryAttempts: 185 } });
    }
    // The pipelines' trigger and janitor have theirs too (test/unit/pipeline/template.test.ts).
    const functionsWithDeadLetters = Object.entries(doc.functions).filter(([k, f]) => f.onError && !k.startsWith("pipeline")).map(([k]) => k);
    expect(functionsWithDeadLetters.sort()).toEqual([...ASYNC].sort());
    expect(statementsOf("DeadLetterWrite")).toEqual([{ Sid: "DeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: dlq }]);
    const queuePolicy = statementsOf("DeadLetterQueuePolicy") as (Statement & { Principal: unknown; Condition: unknown })[];
    expect(queuePolicy.map((st) => [st.Effect, st.Principal, st.Action])).toEqual([
      ["Allow", { Service: "events.amazonaws.com" }, "sqs:SendMessage"],
      ["Deny", "*", "sqs:*"],
    ]);
    expect(JSON.stringify(queuePolicy[0]?.Condition)).toContain("rule/${self:service}-${sls:stage}-*");
  });

  it("wires the opt-in tracing and execution logging of both state machines and every function", () => {
    expect(doc.provider.tracing.lambda).toBe("${self:custom.stack.lambdaTracing}");
    for (const [name, sm] of Object.entries(doc.stepFunctions.stateMachines)) {
      expect(sm.tracingConfig, name).toEqual({ enabled: "${self:custom.stack.tracing}" });
      expect(sm.loggingConfig, name).toMatchObject({ level: "${self:custom.stack.executionLogLevel}", includeExecutionData: "${self:custom.stack.executionLogData}" });
    }
    expect(resources.ExecutionLogDelivery?.Condition).toBe("ExecutionLoggingOn");
    for (const [id] of roles) expect(JSON.stringify(resources[id]?.Properties.ManagedPolicyArns), id).toContain("AWSXRayDaemonWriteAccess");
  });

  it("keeps point-in-time recovery of the registry on", () => {
    expect(resources.RegistryTable?.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });
});
