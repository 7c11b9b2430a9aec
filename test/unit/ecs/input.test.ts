import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEcsInput, parseDeployEcsInput } from "../../../functions/domain/ecs/input.js";
import { ValidationErrors } from "../../../functions/domain/errors.js";

const EXAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, "../../../events/ecs/deploy-ecs.input.json"), "utf8")) as Record<string, unknown>;

const problemsOf = (raw: unknown): string[] => {
  try {
    parseDeployEcsInput(raw);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationErrors)) throw e;
    return e.problems.map((p) => p.field);
  }
};

describe("the deploy-ecs input", () => {
  it("the console example parses: target, revision, options, hooks by lifecycle event", () => {
    const input = parseDeployEcsInput(EXAMPLE);
    expect(input.target.cluster).toBe("prod");
    expect(input.revision.taskDefinition).toBe("web:2");
    expect(input.blueGreen).toEqual({ terminationWaitMinutes: 60, installTimeoutMinutes: 60, readyWait: { waitMinutes: 30, actionOnTimeout: "CONTINUE_DEPLOYMENT" } });
    expect(input.hooks).toEqual({ AfterInstall: "CodeDeployHook_web_afterInstall", AfterAllowTestTraffic: "CodeDeployHook_web_testTraffic", BeforeAllowTraffic: "CodeDeployHook_web_beforeTraffic", AfterAllowTraffic: "CodeDeployHook_web_afterTraffic" });
    expect(input.hookTimeoutSeconds).toBe(600);
    expect(isEcsInput(EXAMPLE)).toBe(true);
    expect(isEcsInput({ functionName: "orders" })).toBe(false);
  });

  it.each([
    ["no ecs group", { ...EXAMPLE, ecs: undefined }, ["ecs"]],
    ["no revision", { ...EXAMPLE, revision: undefined }, ["revision"]],
    ["a Lambda hook name", { ...EXAMPLE, hooks: { beforeAllowTraffic: "CodeDeployHook_x", afterAllowTrafic: "y" } }, ["hooks.afterAllowTrafic"]],
    ["termination wait above 2880", { ...EXAMPLE, blueGreen: { terminationWaitMinutes: 2881 } }, ["blueGreen.terminationWaitMinutes"]],
    ["a Lambda field", { ...EXAMPLE, functionName: "orders" }, ["functionName"]],
    ["a bad alarm list and a bad queue flag at once", { ...EXAMPLE, alarms: "web-5xx", queue: "yes" }, ["alarms", "queue"]],
  ])("%s is refused, naming the field", (_name, raw, fields) => {
    expect(problemsOf(raw).sort()).toEqual([...fields].sort());
  });

  it("an appspec's Hooks replace the input's for the events it names", () => {
    const appSpecContent = {
      version: 0.0,
      Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: { TaskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", LoadBalancerInfo: { ContainerName: "web", ContainerPort: 80 } } } }],
      Hooks: [{ AfterInstall: "CodeDeployHook_fromAppspec" }],
    };
    const input = parseDeployEcsInput({ ...EXAMPLE, revision: { appSpecContent } });
    expect(input.hooks.AfterInstall).toBe("CodeDeployHook_fromAppspec");
    expect(input.hooks.BeforeAllowTraffic).toBe("CodeDeployHook_web_beforeTraffic");
    expect(input.revision.taskDefinition).toBe("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3");
  });

  it("any unknown top-level field is refused by name, and nothing else is", () => {
    const known = new Set(Object.keys(EXAMPLE));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && !["deploymentId", "ignorePollAlarmFailure", "ignoreAlarmsFiringAtStart", "alarmPollSeconds", "alarmMonitoring", "metricGates", "description", "queue", "__proto__"].includes(k)),
        (k) => {
          expect(problemsOf({ ...EXAMPLE, [k]: 1 })).toEqual([k]);
        },
      ),
    );
  });
});
