import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { isThrottlingError } from "@smithy/core/retry";
import { afterEach, describe, expect, it } from "vitest";
import { type EcsHarness, WEB_SETUP, describeWebAccount, ecsClients } from "./ecs-fixture.js";
import { type Harness, failure, startAccount } from "./helpers.js";

let h: Harness;
let x: EcsHarness;
const forward = (weights: [string, number][]) => [{ Type: "forward" as const, ForwardConfig: { TargetGroups: weights.map(([n, w]) => ({ TargetGroupArn: x.tg(n), Weight: w })) } }];
const weightsOf = (actions: { ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] } }[] | undefined) =>
  Object.fromEntries((actions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn?.split("/")[1], t.Weight]));
const states = async (tg: string) =>
  ((await x.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: x.tg(tg) }))).TargetHealthDescriptions ?? []).map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason]);

describeWebAccount(
  (harness, clients) => {
    h = harness;
    x = clients;
  },
  () => {
    describe("describe", () => {
      it("lists load balancers with their type, listeners with their forward action as ELBv2 renders it", async () => {
        const lbs = (await x.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
        expect(lbs.map((lb) => [lb.LoadBalancerName, lb.Type, lb.LoadBalancerArn?.split(":")[5]?.split("/").slice(0, 2).join("/")])).toEqual([
          ["web", "application", "loadbalancer/app"],
          ["edge", "network", "loadbalancer/net"],
          ["admin", "application", "loadbalancer/app"],
        ]);
        const listeners = (await x.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbs[0]?.LoadBalancerArn }))).Listeners ?? [];
        expect(listeners.map((l) => [l.Port, l.Protocol])).toEqual([
          [80, "HTTP"],
          [8080, "HTTP"],
        ]);
        // weighted: only ForwardConfig; single target group: TargetGroupArn too, weight 1
        expect(listeners[0]?.DefaultActions?.[0]?.TargetGroupArn).toBeUndefined();
        expect(weightsOf(listeners[0]?.DefaultActions)).toEqual({ "web-blue": 100, "web-green": 0 });
        expect(listeners[1]?.DefaultActions?.[0]).toMatchObject({ Type: "forward", TargetGroupArn: x.tg("web-blue"), ForwardConfig: { TargetGroups: [{ TargetGroupArn: x.tg("web-blue"), Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } });
      });

      it("DescribeTargetGroupAttributes: the deregistration delay; an unknown group is TargetGroupNotFound", async () => {
        const attrs = (await x.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: x.tg("web-blue") }))).Attributes ?? [];
        expect(attrs).toEqual([{ Key: "deregistration_delay.timeout_seconds", Value: "30" }]);
        const gone = x.tg("web-blue").replace(/[0-9a-f]{16}$/, "0000000000000000");
        expect((await failure(x.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: gone })))).name).toBe("TargetGroupNotFoundException");
      });

      it("lists a listener's rules with the default rule last", async () => {
        const rules = (await x.elbv2.send(new DescribeRulesCommand({ ListenerArn: x.arn("web:80") }))).Rules ?? [];
        expect(rules.map((r) => [r.Priority, r.IsDefault, r.Conditions?.[0]?.Values])).toEqual([
          ["10", false, ["/api/*"]],
          ["default", true, undefined],
        ]);
        const byArn = await x.elbv2.send(new DescribeRulesCommand({ RuleArns: [x.arn("web:80:10")] }));
        expect(weightsOf(byArn.Rules?.[0]?.Actions)).toEqual({ "web-blue": 1 });
      });

      it("names the target groups' load balancers", async () => {
        const tgs = (await x.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["web-green", "tcp-b"] }))).TargetGroups ?? [];
        expect(tgs.map((t) => [t.TargetGroupName, t.Protocol, t.LoadBalancerArns?.length, t.HealthCheckIntervalSeconds])).toEqual([
          ["web-green", "HTTP", 1, 5],
          ["tcp-b", "TCP", 0, 5],
        ]);
      });

      it("answers unknown resources with ELBv2's not-found errors", async () => {
        const listener = await failure(x.elbv2.send(new DescribeListenersCommand({ ListenerArns: [`${x.arn("web:80")}0`] })));
        expect([listener.name, listener.message, listener.$metadata.httpStatusCode]).toEqual(["ListenerNotFoundException", "One or more listeners not found", 400]);
        expect((await failure(x.elbv2.send(new DescribeRulesCommand({ RuleArns: [`${x.arn("web:80:10")}0`] })))).name).toBe("RuleNotFoundException");
        expect((await failure(x.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["nope"] })))).name).toBe("TargetGroupNotFoundException");
        expect((await failure(x.elbv2.send(new DescribeListenersCommand({})))).name).toBe("ValidationError");
      });
    });

    describe("weighted forward actions", () => {
      it("ModifyListener moves traffic and DescribeListeners reads the weights back", async () => {
        h.clock.advance(60);
        const out = await x.elbv2.send(new ModifyListenerCommand({ ListenerArn: x.arn("web:80"), DefaultActions: forward([["web-blue", 90], ["web-green", 10]]) }));
        expect(weightsOf(out.Listeners?.[0]?.DefaultActions)).toEqual({ "web-blue": 90, "web-green": 10 });
        const read = await x.elbv2.send(new DescribeListenersCommand({ ListenerArns: [x.arn("web:80")] }));
        expect(weightsOf(read.Listeners?.[0]?.DefaultActions)).toEqual({ "web-blue": 90, "web-green": 10 });
        expect(x.elbv2World.weightsAt("web:80", 59)).toEqual({ "web-blue": 100, "web-green": 0 });
        expect(x.elbv2World.weightsAt("web:80", 60)).toEqual({ "web-blue": 90, "web-green": 10 });
        expect(h.account.calls.at(-2)).toMatchObject({ service: "ELBv2", operation: "ModifyListener", ok: true, summary: "web:80 -> web-blue=90, web-green=10" });
      });

      it("ModifyRule moves a rule's traffic", async () => {
        const out = await x.elbv2.send(new ModifyRuleCommand({ RuleArn: x.arn("web:80:10"), Actions: forward([["web-blue", 0], ["web-green", 100]]) }));
        expect(weightsOf(out.Rules?.[0]?.Actions)).toEqual({ "web-blue": 0, "web-green": 100 });
        expect(x.elbv2World.weightsAt("web:80:10")).toEqual({ "web-blue": 0, "web-green": 100 });
        expect((await failure(x.elbv2.send(new ModifyRuleCommand({ RuleArn: x.arn("web:80:10") })))).message).toBe("Either conditions or actions must be specified");
      });

      it.each([
        ["a weight above 999", () => forward([["web-blue", 1000], ["web-green", 0]]), "ValidationError", "Value '1000' at 'defaultActions.1.member.forwardConfig.targetGroups.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 999"],
        ["a negative weight", () => forward([["web-blue", 100], ["web-green", -1]]), "ValidationError", "greater than or equal to 0"],
        ["a missing weight beside another target group", () => [{ Type: "forward" as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: x.tg("web-blue") }, { TargetGroupArn: x.tg("web-green"), Weight: 1 }] } }], "ValidationError", "A weight must be specified"],
        ["TargetGroupArn and a different ForwardConfig", () => [{ Type: "forward" as const, TargetGroupArn: x.tg("web-blue"), ForwardConfig: { TargetGroups: [{ TargetGroupArn: x.tg("web-green"), Weight: 1 }] } }], "ValidationError", "must name that target group"],
        ["the same target group twice", () => forward([["web-blue", 50], ["web-blue", 50]]), "ValidationError", "listed more than once"],
        ["a target group that does not exist", () => [{ Type: "forward" as const, TargetGroupArn: `${x.tg("web-blue")}0` }], "TargetGroupNotFoundException", "Target groups '"],
        ["a TCP target group on an application load balancer", () => forward([["web-blue", 50], ["tcp-b", 50]]), "IncompatibleProtocolsException", "uses protocol TCP"],
        ["a target group another load balancer uses", () => forward([["web-blue", 50], ["admin", 50]]), "TargetGroupAssociationLimitException", "The following target groups cannot be associated with more than one load balancer: "],
        ["an action type the simulation does not model", () => [{ Type: "fixed-response" as const, FixedResponseConfig: { StatusCode: "503" } }], "InvalidLoadBalancerActionException", "does not model fixed-response"],
        ["an unknown action type", () => [{ Type: "teleport" as never }], "ValidationError", "Member must satisfy enum value set"],
      ])("refuses %s, changing nothing", async (_what, actions, name, message) => {
        const e = await failure(x.elbv2.send(new ModifyListenerCommand({ ListenerArn: x.arn("web:80"), DefaultActions: actions() })));
        expect(e.name).toBe(name);
        expect(e.message).toContain(message);
        expect(e.$metadata.httpStatusCode).toBe(400);
        expect(x.elbv2World.weightsAt("web:80")).toEqual({ "web-blue": 100, "web-green": 0 });
      });

      it("a network load balancer takes weighted target groups (since November 2025)", async () => {
        const out = await x.elbv2.send(new ModifyListenerCommand({ ListenerArn: x.arn("edge:443"), DefaultActions: forward([["tcp-a", 90], ["tcp-b", 10]]) }));
        expect(weightsOf(out.Listeners?.[0]?.DefaultActions)).toEqual({ "tcp-a": 90, "tcp-b": 10 });
      });
    });

    describe("target health", () => {
      it("a registered target is initial, then healthy after interval x healthy threshold; deregistered it drains, then is gone", async () => {
        await x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("web-green"), Targets: [{ Id: "10.0.9.9", Port: 80 }] }));
        expect(await states("web-green")).toEqual([["10.0.9.9", "initial", "Elb.InitialHealthChecking"]]);
        h.clock.advance(9);
        expect((await states("web-green"))[0]?.[1]).toBe("initial");
        h.clock.advance(1);
        expect(await states("web-green")).toEqual([["10.0.9.9", "healthy", undefined]]);
        await x.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: x.tg("web-green"), Targets: [{ Id: "10.0.9.9", Port: 80 }] }));
        expect(await states("web-green")).toEqual([["10.0.9.9", "draining", "Target.DeregistrationInProgress"]]);
        h.clock.advance(30);
        expect(await states("web-green")).toEqual([]);
      });

      it("targets of a group no load balancer uses are unused (Target.NotInUse); a target asked for but not registered is Target.NotRegistered", async () => {
        await x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("tcp-b"), Targets: [{ Id: "i-1" }] }));
        expect(await states("tcp-b")).toEqual([["i-1", "unused", "Target.NotInUse"]]);
        const asked = await x.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: x.tg("tcp-b"), Targets: [{ Id: "i-2", Port: 80 }] }));
        expect(asked.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: "unused", Reason: "Target.NotRegistered", Description: "Target is not registered to the target group" });
      });

      it("an instance target group refuses ids that are not EC2 instances (an on-premises mi- node) with InvalidTarget, registering none of them", async () => {
        x.elbv2World.createTargetGroup({ name: "servers", protocol: "HTTP", port: 80, targetType: "instance" });
        const e = await failure(x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("servers"), Targets: [{ Id: "i-1" }, { Id: "mi-0123456789abcdef1" }] })));
        expect([e.name, e.$metadata.httpStatusCode]).toEqual(["InvalidTargetException", 400]);
        expect(e.message).toContain("'mi-0123456789abcdef1'");
        expect(e.message).not.toContain("'i-1'");
        expect(await states("servers")).toEqual([]);
        await x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("servers"), Targets: [{ Id: "i-1" }] }));
        expect((await states("servers")).map(([id]) => id)).toEqual(["i-1"]);
        // an ip target group is not concerned
        await x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("web-green"), Targets: [{ Id: "10.0.9.9" }] }));
        expect((await states("web-green")).map(([id]) => id)).toEqual(["10.0.9.9"]);
      });

      it("the timeline turns a group's targets unhealthy after the unhealthy threshold, and healthy again", async () => {
        await x.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: x.tg("web-green"), Targets: [{ Id: "10.0.9.9" }] }));
        h.account.applyTimeline([
          { atSeconds: 20, targetGroup: "web-green", health: "unhealthy" },
          { atSeconds: 60, targetGroup: "web-green", health: "healthy" },
        ]);
        h.clock.advance(29);
        expect((await states("web-green"))[0]?.[1]).toBe("healthy");
        h.clock.advance(1);
        expect((await states("web-green"))[0]).toEqual(["10.0.9.9", "unhealthy", "Target.ResponseCodeMismatch"]);
        h.clock.advance(39);
        expect((await states("web-green"))[0]?.[1]).toBe("unhealthy");
        h.clock.advance(1);
        expect((await states("web-green"))[0]?.[1]).toBe("healthy");
      });
    });

    describe("another writer", () => {
      it("a timeline entry changes what a listener forwards to, dated at its own second", async () => {
        h.account.applyTimeline([{ atSeconds: 90, listener: "web:80", forward: { "web-blue": 50, "web-green": 50 } }]);
        h.clock.advance(120);
        const read = await x.elbv2.send(new DescribeListenersCommand({ ListenerArns: [x.arn("web:80")] }));
        expect(weightsOf(read.Listeners?.[0]?.DefaultActions)).toEqual({ "web-blue": 50, "web-green": 50 });
        expect(x.elbv2World.forwardHistory.at(-1)).toMatchObject({ atSeconds: 90, resource: "web:80", operation: "timeline" });
        expect(h.account.worldLog.at(-1)?.text).toContain("web:80 -> web-blue=50, web-green=50 (another writer)");
      });
    });

    describe("faults", () => {
      it("throttling is the query error Throttling (HTTP 400), which the SDK retries", async () => {
        h.account.addFault({ operation: "ELBv2.ModifyListener", kind: "throttle", count: 1 });
        const once = new ElasticLoadBalancingV2Client({ ...h.config, maxAttempts: 1 });
        const e = await failure(once.send(new ModifyListenerCommand({ ListenerArn: x.arn("web:80"), DefaultActions: forward([["web-blue", 90], ["web-green", 10]]) })));
        expect([e.name, e.$metadata.httpStatusCode, isThrottlingError(e as never)]).toEqual(["Throttling", 400, true]);
        once.destroy();
        h.account.addFault({ operation: "ELBv2.*", kind: "5xx", count: 1 });
        const out = await x.elbv2.send(new DescribeListenersCommand({ ListenerArns: [x.arn("web:80")] }));
        expect(out.$metadata.attempts).toBe(2);
        expect(h.account.calls.filter((c) => c.fault).map((c) => [c.operation, c.errorName])).toEqual([
          ["ModifyListener", "Throttling"],
          ["DescribeListeners", "InternalFailure"],
        ]);
      });
    });
  },
);

describe("network load balancers before weighted target groups", () => {
  let old: Harness | undefined;
  afterEach(async () => {
    x.close();
    await old?.close();
  });

  it("refuse weights and several target groups with ELBv2's messages", async () => {
    const setup = { ...WEB_SETUP, loadBalancers: [{ name: "edge", type: "network", weightedTargetGroups: false, listeners: [{ port: 443, protocol: "TCP", forward: "tcp-a" }] }], ecs: undefined };
    old = await startAccount(setup);
    x = ecsClients(old);
    const listener = x.arn("edge:443");
    const many = await failure(x.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([["tcp-a", 90], ["tcp-b", 10]]) })));
    expect([many.name, many.message]).toEqual(["ValidationError", "You cannot specify multiple target groups in a single action with a load balancer of type 'network'"]);
    const weight = await failure(x.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([["tcp-b", 100]]) })));
    expect([weight.name, weight.message]).toEqual(["ValidationError", "You cannot specify a target group weight on load balancers of type 'network'"]);
    await x.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: [{ Type: "forward", TargetGroupArn: x.tg("tcp-b") }] }));
    expect(x.elbv2World.weightsAt("edge:443")).toEqual({ "tcp-b": 1 });
  });
});

describe("setup", () => {
  it.each([
    ["rules on a network load balancer", { targetGroups: [{ name: "t", protocol: "TCP", port: 1 }], loadBalancers: [{ name: "n", type: "network", listeners: [{ port: 1, forward: "t", rules: [{ priority: 1, pathPattern: "/", forward: "t" }] }] }] }, "account.loadBalancers[0].listeners[0].rules"],
    ["a target group on two load balancers", { targetGroups: [{ name: "t", protocol: "HTTP", port: 1 }], loadBalancers: [{ name: "a", listeners: [{ port: 1, forward: "t" }] }, { name: "b", listeners: [{ port: 1, forward: "t" }] }] }, "account.loadBalancers[1]"],
    ["a weight above 999", { targetGroups: [{ name: "t", protocol: "HTTP", port: 1 }], loadBalancers: [{ name: "a", listeners: [{ port: 1, forward: { t: 1000 } }] }] }, "account.loadBalancers[0].listeners[0].forward.t"],
    ["an unknown target group", { loadBalancers: [{ name: "a", listeners: [{ port: 1, forward: "t" }] }] }, "account.loadBalancers[0].listeners[0].forward"],
  ])("refuses %s, naming the field", async (_what, setup, field) => {
    const e = await failure(startAccount(setup));
    expect(e.name).toBe("Simulate.InvalidAccount");
    expect(JSON.stringify((e as unknown as { problems: unknown }).problems)).toContain(field);
  });
});
