import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alarmOrigin, isWatchedAlarm } from "../../../functions/domain/alarms/events.js";
import { hookProblems, matchesNamePattern } from "../../../functions/domain/hooks/policy.js";
import { canonicalFunctionArn, placementOfArn, targetKey } from "../../../functions/domain/traffic/target.js";

const HERE = { partition: "aws", region: "us-east-1", account: "123456789012" };
const name = fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/);
const alias = fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/).filter((a) => !/^[0-9]+$/.test(a));

describe("the traffic target's lock key", () => {
  it("a function by name, partial ARN or ARN locks the same alias ARN", () => {
    fc.assert(
      fc.property(name, alias, (fn, a) => {
        const forms = [fn, `${HERE.account}:function:${fn}`, `arn:aws:lambda:${HERE.region}:${HERE.account}:function:${fn}`];
        const keys = forms.map((functionName) => targetKey({ kind: "lambda-alias", functionName, alias: a, fromVersion: "1", toVersion: "2" }, HERE));
        expect(new Set(keys)).toEqual(new Set([`arn:aws:lambda:us-east-1:123456789012:function:${fn}:${a}`]));
      }),
    );
  });

  it("names compare exactly, as Lambda's are case-sensitive: another case is another target", () => {
    fc.assert(
      fc.property(name.filter((n) => n.toLowerCase() !== n.toUpperCase()), (fn) => {
        expect(canonicalFunctionArn(fn.toLowerCase(), HERE)).not.toBe(canonicalFunctionArn(fn.toUpperCase(), HERE));
      }),
    );
  });

  it("an ARN keeps its own partition, region and account; a name takes the execution's", () => {
    expect(canonicalFunctionArn("arn:aws-cn:lambda:cn-north-1:111122223333:function:f", HERE)).toBe("arn:aws-cn:lambda:cn-north-1:111122223333:function:f");
    expect(placementOfArn("arn:aws-us-gov:states:us-gov-west-1:111122223333:execution:sm:d-1")).toEqual({ partition: "aws-us-gov", region: "us-gov-west-1", account: "111122223333" });
    expect(() => canonicalFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:f:live", HERE)).toThrow(/functionName/);
    expect(() => placementOfArn("not-an-arn")).toThrow(/executionArn/);
  });
});

describe("which hooks may run", () => {
  it.each([
    ["CodeDeployHook_orders", "CodeDeployHook_*", true],
    ["codedeployhook_orders", "CodeDeployHook_*", false],
    ["orders-hook-1", "orders-hook-?", true],
    ["orders-hook-10", "orders-hook-?", false],
    ["a.b", "a.b", true],
    ["axb", "a.b", false],
    ["anything", "*", true],
  ])("%s against %s: %s", (hook, pattern, ok) => {
    expect(matchesNamePattern(hook, pattern)).toBe(ok);
  });

  it("names each refused hook's field", () => {
    const problems = hookProblems(
      { beforeAllowTraffic: "orders", afterAllowTraffic: "audit" },
      { functionName: "arn:aws:lambda:us-east-1:123456789012:function:orders", where: HERE, pattern: "CodeDeployHook_*" },
    );
    expect(problems.map((p) => p.field)).toEqual(["hooks.beforeAllowTraffic", "hooks.afterAllowTraffic"]);
    expect(problems[0]?.reason).toContain("is the function being deployed");
    expect(problems[1]?.reason).toContain("does not match hookFunctionPattern 'CodeDeployHook_*'");
  });
});

describe("alarm events and the watches they may end", () => {
  const event = (e: object) => ({ source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", detail: { alarmName: "a", state: { value: "ALARM" } }, ...e });
  const watch = { account: "123456789012", region: "us-east-1" };
  it.each([
    [{ account: "123456789012", region: "us-east-1" }, true],
    [{ account: "999999999999", region: "us-east-1" }, false],
    [{ account: "123456789012", region: "eu-west-1" }, false],
    [{ resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"], account: "999999999999" }, true],
    [{ resources: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"], account: "123456789012", region: "us-east-1" }, false],
    [{}, false],
  ])("%j -> %s", (where, matches) => {
    expect(isWatchedAlarm(alarmOrigin(event(where)), watch)).toBe(matches);
  });
});
