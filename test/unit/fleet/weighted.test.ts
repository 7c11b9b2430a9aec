import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forwardFor, forwardRevision } from "../../../functions/domain/ecs/weights.js";
import { parseServerInput } from "../../../functions/domain/fleet/input.js";
import { loadBalancerArnOf } from "../../../functions/domain/ecs/arns.js";
import { checkPairLoadBalancer, prepareWeighted, weightedPlan } from "../../../functions/domain/fleet/weighted.js";
import { problemsOf } from "../../support/problems.js";

/** The weighted blue/green reroute's input and start decision (functions/domain/fleet/weighted.ts, docs/ec2.md#weighted). */
const scenario = JSON.parse(readFileSync(new URL("../../../events/server/blue-green-weighted-canary.json", import.meta.url), "utf8"));
const input = (): Record<string, unknown> => ({ ...scenario.deployments[0].input, revision: { bucket: "b", key: "k.zip", bundleType: "zip" } });
const withRouting = (routing: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const i = input();
  return { ...i, ...extra, blueGreen: { ...(i.blueGreen as object), trafficRouting: routing } };
};
const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0a0b0c0d0e0f1011/1213141516171819";
const problems = (raw: unknown) => problemsOf("Deploy.InvalidInput", () => parseServerInput(raw));

const BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-blue/0000000000000001";
const GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-green/0000000000000002";
const OTHER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/0000000000000003";
const prepare = (forward: { targetGroupArn: string; weight: number }[], config: unknown = "CodeDeployDefault.ECSLinear10PercentEvery1Minutes") =>
  prepareWeighted({
    deploymentId: "d-BGWEIGHT1",
    routing: { prodTrafficRoute: { listenerArn: LISTENER }, deploymentConfig: config },
    pair: { blue: BLUE, green: GREEN },
    forward,
    alarms: ["orders-5xx"],
    ignorePollAlarmFailure: false,
    where: { account: "123456789012", region: "us-east-1" },
  });

describe("blueGreen.trafficRouting (weighted reroute on a listener)", () => {
  it("reads the scenario's input: the route and the config kept as given", () => {
    expect(parseServerInput(input()).blueGreen?.trafficRouting).toEqual({ prodTrafficRoute: { listenerArn: LISTENER }, deploymentConfig: "CodeDeployDefault.ECSCanary10Percent5Minutes" });
  });

  it.each([
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER } }, { targetGroups: ["orders-blue"] }), "targetGroups: must list exactly two target groups with blueGreen.trafficRouting: blue (the one the production route forwards to), then green"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, deploymentConfig: "CodeDeployDefault.OneAtATime" }), "blueGreen.trafficRouting.deploymentConfig:"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes" }), "blueGreen.trafficRouting.deploymentConfig:"],
    [withRouting({ prodTrafficRoute: { listenerArn: "listener-1" } }), "blueGreen.trafficRouting.prodTrafficRoute"],
    [withRouting({ deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" }), "blueGreen.trafficRouting.prodTrafficRoute"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, alarmMonitoring: "push" }), 'blueGreen.trafficRouting.alarmMonitoring: must be "events" or "polling"'],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, alarmPollSeconds: 0 }), "blueGreen.trafficRouting.alarmPollSeconds"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, metricGates: {} }), "blueGreen.trafficRouting.metricGates: must be a list of metric gates"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, metricGates: [{ name: "e", lambdaErrorRatePercent: 5 }] }), "blueGreen.trafficRouting.metricGates[0].lambdaErrorRatePercent: measures a Lambda version"],
    [withRouting({ prodTrafficRoute: { listenerArn: LISTENER }, metricGates: [{ name: "e", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", stat: "Sum" }, threshold: 1, comparison: "GreaterThanThreshold", intervalSeconds: 10 }] }), "blueGreen.trafficRouting.metricGates[0].intervalSeconds"],
  ])("refuses %#, naming the field", (raw, expected) => {
    expect(problems(raw).join("\n")).toContain(expected);
  });

  it.each([
    ["CodeDeployDefault.ECSAllAtOnce", [[100, 0]]],
    ["CodeDeployDefault.ECSCanary10Percent5Minutes", [[10, 300], [100, 0]]],
    ["CodeDeployDefault.ECSLinear10PercentEvery3Minutes", [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => [w, w === 100 ? 0 : 180])],
  ])("%s: the listener's steps (percent on green, bake seconds)", (config, steps) => {
    expect(weightedPlan(config).steps.map((s) => [s.weight, s.bakeSeconds])).toEqual(steps);
  });

  it("starts from the route as read, with the first shift's precondition {blue: 100, green: 0} (AllowTraffic's join)", () => {
    const w = prepare([{ targetGroupArn: BLUE, weight: 1 }]);
    expect(w.start).toBe(forwardRevision([{ targetGroupArn: BLUE, weight: 1 }]));
    expect(w.cursor).toMatchObject({ step: -1, weight: 0, done: false, revision: forwardRevision(forwardFor({ blue: BLUE, green: GREEN }, 0)) });
    expect(w.deployment).toMatchObject({ target: { kind: "listener-weights", routeArn: LISTENER, blue: BLUE, green: GREEN, config: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" }, alarms: ["orders-5xx"], alarmMonitoring: "events" });
  });

  it("refuses a route that does not send everything to the first target group, before anything is touched", () => {
    expect(() => prepare([{ targetGroupArn: GREEN, weight: 1 }])).toThrow(/must send all traffic to the first target group \(blue\), orders-blue/);
    expect(() => prepare([{ targetGroupArn: BLUE, weight: 1 }, { targetGroupArn: OTHER, weight: 1 }])).toThrow(/Deploy|forwards/);
  });

  it("property: a route is accepted exactly when it sends all its traffic to blue (any weights, green at 0 or absent, nothing else)", () => {
    const group = fc.record({ targetGroupArn: fc.constantFrom(BLUE, GREEN, OTHER), weight: fc.integer({ min: 0, max: 999 }) });
    fc.assert(
      fc.property(fc.uniqueArray(group, { minLength: 1, maxLength: 3, selector: (g) => g.targetGroupArn }), (forward) => {
        const allBlue = forward.every((g) => g.targetGroupArn === BLUE || (g.targetGroupArn === GREEN && g.weight === 0)) && forward.some((g) => g.targetGroupArn === BLUE && g.weight > 0);
        let accepted = true;
        try {
          prepare(forward);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(allBlue);
      }),
      { seed: 13 },
    );
  });
});

describe("the bakes watch as Lambda's and ECS's", () => {
  const gate = { name: "green-5xx", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: {}, stat: "Sum" }, threshold: 5, comparison: "GreaterThanThreshold", intervalSeconds: 60 };
  it.each([
    ["nothing asked: alarm events, no watcher", {}, "events", 60, 0, false],
    ["polling every 10 s: a bake watcher", { alarmMonitoring: "polling", alarmPollSeconds: 10 }, "polling", 10, 0, true],
    ["a metric gate: a bake watcher, alarms still by events", { metricGates: [gate] }, "events", 60, 1, true],
  ])("%s", (_label, routing, monitoring, pollSeconds, gates, watcher) => {
    const w = prepareWeighted({
      deploymentId: "d-BGWEIGHT1",
      routing: { prodTrafficRoute: { listenerArn: LISTENER }, ...routing } as never,
      pair: { blue: BLUE, green: GREEN },
      forward: [{ targetGroupArn: BLUE, weight: 1 }],
      alarms: ["orders-5xx"],
      ignorePollAlarmFailure: false,
      where: { account: "123456789012", region: "us-east-1" },
    });
    expect([w.deployment.alarmMonitoring, w.deployment.alarmPollSeconds, w.deployment.metricGates.length, w.deployment.hasGates, w.cursor.watcher]).toEqual([monitoring, pollSeconds, gates, gates > 0, watcher]);
  });
});

describe("Start: both target groups belong to the production route's load balancer (DescribeTargetGroups LoadBalancerArns)", () => {
  const ORDERS = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders/0a0b0c0d0e0f1011";
  const ELSEWHERE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/billing/0a0b0c0d0e0f9999";
  const RULE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/orders/0a0b0c0d0e0f1011/1213141516171819/2021222324252627";

  it.each([
    [LISTENER, ORDERS],
    [RULE, ORDERS],
    ["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/edge/0a0b0c0d0e0f1011/1213141516171819", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/0a0b0c0d0e0f1011"],
    ["orders", undefined],
  ])("the load balancer of %s is %s", (route, lb) => {
    expect(loadBalancerArnOf(route)).toBe(lb);
  });

  it.each([
    ["blue on the route's load balancer, green on none yet (a new group: AllowTraffic's join associates it)", { [BLUE]: [ORDERS], [GREEN]: [] }, undefined],
    ["both on the route's load balancer (green behind a test rule)", { [BLUE]: [ORDERS], [GREEN]: [ORDERS] }, undefined],
    ["not read (a caller without LoadBalancerArns)", {}, undefined],
    ["green on another load balancer", { [BLUE]: [ORDERS], [GREEN]: [ELSEWHERE] }, "targetGroups: orders-green, the green target group of orders/prod, belongs to load balancer billing, not orders whose listener is blueGreen.trafficRouting.prodTrafficRoute"],
    ["green on both", { [BLUE]: [ORDERS], [GREEN]: [ORDERS, ELSEWHERE] }, "orders-green, the green target group of orders/prod, belongs to load balancer billing"],
    ["blue also on another one", { [BLUE]: [ELSEWHERE, ORDERS], [GREEN]: [] }, "orders-blue, the blue target group of orders/prod, belongs to load balancer billing"],
  ])("%s", (_label, loadBalancers, refusal) => {
    const check = () => checkPairLoadBalancer(LISTENER, { blue: BLUE, green: GREEN }, loadBalancers, "orders/prod");
    if (!refusal) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ name: "Deploy.UnsupportedTrafficConfig", message: expect.stringContaining(refusal) }));
  });

  it("a rule's message names the rule; prepareWeighted runs the check before deciding anything", () => {
    expect(() => checkPairLoadBalancer(RULE, { blue: BLUE, green: GREEN }, { [GREEN]: [ELSEWHERE] })).toThrow(/not orders whose rule is blueGreen.trafficRouting.prodTrafficRoute/);
    expect(() =>
      prepareWeighted({
        deploymentId: "d-BGWEIGHT1",
        routing: { prodTrafficRoute: { listenerArn: LISTENER } },
        pair: { blue: BLUE, green: GREEN },
        loadBalancers: { [GREEN]: [ELSEWHERE] },
        forward: [{ targetGroupArn: BLUE, weight: 1 }],
        alarms: [],
        ignorePollAlarmFailure: false,
        where: { account: "123456789012", region: "us-east-1" },
      }),
    ).toThrow(/orders-green, the green target group, belongs to load balancer billing/);
  });
});
