import { describe, expect, it } from "vitest";
import type { ServerBlueGreen } from "../../../functions/domain/fleet/blue-green.js";
import { advanceBlueGreen, rollBackBlueGreen } from "../../../functions/services/server/blue-green.js";
import type { DeploymentContext, FleetState, InstanceOutcome } from "../../../functions/services/server/state.js";
import { fakeWorld } from "../../support/fakes/index.js";
import type { FakeAutoScaling, FakeInstances } from "../../support/fakes/instances.js";
import type { FakeLoadBalancer } from "../../support/fakes/load-balancer.js";
import type { FakeRunCommand } from "../../support/fakes/run-command.js";

const fleet = (over: Partial<FleetState> = {}): FleetState => ({ config: "CodeDeployDefault.OneAtATime", total: 2, minHealthy: 1, instances: ["i-0c1", "i-0c2"], cursor: 0, succeeded: 0, failed: 0, batches: 0, unreachable: [], phase: "install", startedAtMs: Date.parse("2026-01-01T00:00:00.000Z"), ...over });
const bg = (over: Partial<ServerBlueGreen> = {}): ServerBlueGreen => ({ provisioning: "DISCOVER_EXISTING", readyWaitSeconds: 0, terminationWaitSeconds: 0, original: ["i-0b1", "i-0b2"], ...over });
const ok = (id: string) => ({ instanceId: id, status: "Succeeded" as const });
const failed = (id: string, event: string) => ({ instanceId: id, status: "Failed" as const, event, errorCode: "ScriptFailed", message: "exit 1" });

describe("blue/green NextBatch over fake ports: one phase after another", () => {
  const w = fakeWorld();
  const step = (b: ServerBlueGreen, f: FleetState, outcomes?: ReturnType<typeof ok>[]) => advanceBlueGreen(w.deps, "d-BGUNIT001", b, f, outcomes ? { outcomes } : undefined);

  it.each([
    ["install, a batch left", bg(), fleet({ cursor: 1, succeeded: 1, installed: ["i-0c1"] }), undefined, { action: "deploy", batch: ["i-0c2"], phase: "install" }],
    ["install done, no ready wait: AllowTraffic on every installed instance", bg(), fleet({ cursor: 2, succeeded: 2, installed: ["i-0c1", "i-0c2"] }), undefined, { action: "deploy", batch: ["i-0c1", "i-0c2"], phase: "allow" }],
    ["install done, STOP_DEPLOYMENT: the ready wait", bg({ readyWaitSeconds: 600 }), fleet({ cursor: 2, succeeded: 2, installed: ["i-0c1", "i-0c2"] }), undefined, { action: "ready" }],
    ["after the ready wait: AllowTraffic", bg(), fleet({ phase: "allow", cursor: 0, succeeded: 2, installed: ["i-0c1", "i-0c2"] }), undefined, { action: "deploy", batch: ["i-0c1", "i-0c2"], phase: "allow" }],
    ["AllowTraffic through: BlockTraffic on the originals", bg(), fleet({ phase: "allow", cursor: 2, succeeded: 2 }), [ok("i-0c1"), ok("i-0c2")], { action: "deploy", batch: ["i-0b1", "i-0b2"], phase: "block" }],
    ["AllowTraffic under the minimum: HEALTH_CONSTRAINTS", bg(), fleet({ phase: "allow", cursor: 2, succeeded: 2, minHealthy: 2 }), [ok("i-0c1"), failed("i-0c2", "AllowTraffic")], { action: "fail", error: "Deploy.HealthConstraints" }],
    ["an original failing BlockTraffic fails the deployment", bg(), fleet({ phase: "block", cursor: 2, succeeded: 2 }), [ok("i-0b1"), failed("i-0b2", "BeforeBlockTraffic")], { action: "fail", error: "Deploy.BlockTrafficFailed" }],
    ["AllowTraffic through and no original instance: nothing to block, KEEP_ALIVE ends it", bg({ original: [], terminationWaitSeconds: null }), fleet({ phase: "allow", cursor: 2, succeeded: 2 }), [ok("i-0c1"), ok("i-0c2")], { action: "succeed" }],
    ["BlockTraffic through, KEEP_ALIVE: success", bg({ terminationWaitSeconds: null }), fleet({ phase: "block", cursor: 2, succeeded: 2 }), [ok("i-0b1"), ok("i-0b2")], { action: "succeed" }],
    ["BlockTraffic through, TERMINATE after 5 minutes: the termination wait", bg({ terminationWaitSeconds: 300 }), fleet({ phase: "block", cursor: 2, succeeded: 2 }), [ok("i-0b1"), ok("i-0b2")], { action: "terminationWait" }],
  ] as const)("%s", async (_label, b, f, outcomes, expected) => {
    expect((await step(b, f, outcomes as never)).next).toMatchObject(expected);
  });

  it("TERMINATE: the original instances (DISCOVER_EXISTING) or the original group (COPY_AUTO_SCALING_GROUP) after the wait", async () => {
    expect((await step(bg(), fleet({ phase: "retire" }))).next).toEqual({ action: "succeed" });
    expect((w.deps.instances as FakeInstances).terminated).toEqual(["i-0b1", "i-0b2"]);
    await step(bg({ provisioning: "COPY_AUTO_SCALING_GROUP", originalGroup: "web", greenGroup: "CodeDeploy_prod_d-BGUNIT001" }), fleet({ phase: "retire" }));
    expect((w.deps.autoScaling as FakeAutoScaling).deleted).toEqual(["web"]);
  });

  it("provision: waits for the copy's instances to be InService and online, then installs on them; late after an hour", async () => {
    const asg = w.deps.autoScaling as FakeAutoScaling;
    const ssm = w.deps.runCommand as FakeRunCommand;
    const copy = bg({ provisioning: "COPY_AUTO_SCALING_GROUP", originalGroup: "web", greenGroup: "green" });
    asg.groups.set("green", { name: "green", minSize: 0, maxSize: 2, desiredCapacity: 2, instances: [{ id: "i-0a2", lifecycleState: "InService" }, { id: "i-0a1", lifecycleState: "Pending" }], tags: [], targetGroupArns: [] });
    for (const id of ["i-0a1", "i-0a2"]) ssm.nodes.push({ id, platform: "Linux", online: true, tags: { "aws:autoscaling:groupName": "green" } });
    const provision = fleet({ phase: "provision", instances: [] });
    expect((await step(copy, provision)).next).toEqual({ action: "poll" });
    asg.groups.get("green")!.instances[1]!.lifecycleState = "InService";
    expect(await step(copy, provision)).toMatchObject({ fleet: { phase: "install", instances: ["i-0a1", "i-0a2"], cursor: 1 }, next: { action: "deploy", batch: ["i-0a1"], phase: "install" } });
    asg.groups.get("green")!.instances[1]!.lifecycleState = "Pending";
    w.advance(3601);
    expect((await step(copy, provision)).next).toMatchObject({ action: "fail", error: "Deploy.ReplacementUnhealthy" });
  });

  describe("rollback: through restore and block batch children, never traffic on neither fleet", () => {
    const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-web/0123456789abcdef";
    const ctx = { deploymentId: "d-BGUNIT001", pollSeconds: 10, targetGroups: [{ arn: TG, name: "orders-web" }] } as unknown as DeploymentContext;
    const back = (b: ServerBlueGreen, f: FleetState, outcomes?: InstanceOutcome[]) => rollBackBlueGreen(w.deps, "d-BGUNIT001", b, f, ctx, outcomes ? { outcomes } : undefined);
    const installed = { installed: ["i-0c1", "i-0c2"], batches: 4 };
    const restoring = { reroute: { stage: "restore" as const, routeRestored: false, notes: [] } };
    const blocking = { reroute: { stage: "block" as const, routeRestored: false, notes: ["the 2 original instance(s) through AllowTraffic"] } };

    it.each([
      ["before traffic moved: only the copy goes", bg({ greenGroup: "green" }), fleet({ phase: "allow", cursor: 0 }), undefined, { message: "rolled back: the original instances kept serving; the replacement group green deleted", failed: false }],
      ["from AllowTraffic on: first the originals' restore", bg(), fleet({ phase: "retire", ...installed }), undefined, { batch: { batch: ["i-0b1", "i-0b2"], batchNumber: 5, phase: "restore" }, fleet: { reroute: { stage: "restore" } } }],
      ["the originals through: the replacements' block", bg(), fleet({ phase: "retire", ...installed, ...restoring, batches: 5 }), [ok("i-0b1"), ok("i-0b2")], { batch: { batch: ["i-0c1", "i-0c2"], batchNumber: 6, phase: "block" }, fleet: { reroute: { stage: "block" } } }],
      ["an original failing the restore: the rollback fails, green keeps serving, the copy is kept", bg({ greenGroup: "green" }), fleet({ phase: "retire", ...installed, ...restoring }), [ok("i-0b1"), failed("i-0b2", "BeforeAllowTraffic")], { message: "rollback failed: 1 original instance(s) failed the rollback's AllowTraffic events: i-0b2 (BeforeAllowTraffic: exit 1); the 2 replacement instance(s) keep serving and the replacement group green is kept", failed: true }],
      ["the replacements through: rolled back", bg(), fleet({ phase: "retire", ...installed, ...blocking }), [ok("i-0c1"), ok("i-0c2")], { message: "rolled back: the 2 original instance(s) through AllowTraffic; the 2 replacement instance(s) through BlockTraffic; the replacement instances left running", failed: false }],
      ["a replacement failing its block: deregistered anyway, the rollback named failed", bg(), fleet({ phase: "retire", ...installed, ...blocking }), [ok("i-0c1"), failed("i-0c2", "BeforeBlockTraffic")], { failed: true }],
    ] as const)("%s", async (_label, b, f, outcomes, expected) => {
      expect(await back(b, f, outcomes as never)).toMatchObject(expected);
    });

    it("a replacement failing its block leaves the target group all the same; the copy is never deleted while green serves", async () => {
      const lb = w.deps.loadBalancer as FakeLoadBalancer;
      const asg = w.deps.autoScaling as FakeAutoScaling;
      const deletedBefore = asg.deleted.length;
      await back(bg({ greenGroup: "green" }), fleet({ phase: "retire", ...installed, ...restoring }), [failed("i-0b1", "AllowTraffic")]);
      expect(asg.deleted.length).toBe(deletedBefore);
      await back(bg(), fleet({ phase: "retire", ...installed, ...blocking }), [ok("i-0c1"), failed("i-0c2", "BeforeBlockTraffic")]);
      expect(lb.registrations.at(-1)).toBe(`-${TG} i-0c2`);
    });
  });

  it("Start with COPY_AUTO_SCALING_GROUP: a config the copy cannot meet is refused before the copy exists", async () => {
    const { createHandler } = await import("../../../functions/handlers/startServer.js");
    const { FakeBundleStore } = await import("../../support/fakes/bundle-store.js");
    const setup = () => {
      const world = fakeWorld();
      (world.deps.bundles as InstanceType<typeof FakeBundleStore>).put("b", "orders.zip", { "appspec.yml": "version: 0.0\nos: linux\n" });
      const asg = world.deps.autoScaling as FakeAutoScaling;
      asg.groups.set("web", { name: "web", launchTemplate: { name: "web-lt" }, minSize: 1, maxSize: 2, desiredCapacity: 1, instances: [{ id: "i-0a1", lifecycleState: "InService" }], tags: [], targetGroupArns: [] });
      (world.deps.loadBalancer as FakeLoadBalancer).targetGroups.set("orders-web", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-web/0123456789abcdef");
      return { world, asg };
    };
    const input = {
      deploymentId: "d-BGUNIT002",
      application: "orders",
      deploymentGroup: "prod",
      target: { autoScalingGroups: ["web"] },
      revision: { bucket: "b", key: "orders.zip", eTag: "e1", bundleType: "zip" },
      targetGroups: ["orders-web"],
      deploymentConfig: "CodeDeployDefault.HalfAtATime",
      blueGreen: { greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" } },
    };
    const execution = "arn:aws:states:us-east-1:123456789012:execution:stepdeploy-local-deploy-server:d-BGUNIT002";
    const first = setup();
    await expect(createHandler(first.world.deps)({ input, executionArn: execution })).rejects.toMatchObject({ name: "Deploy.HealthConstraintsInvalid" });
    expect([...first.asg.groups.keys()]).toEqual(["web"]);
    const { world, asg } = setup();
    const out = await createHandler(world.deps)({ input: { ...input, deploymentId: "d-BGUNIT003", deploymentConfig: "CodeDeployDefault.AllAtOnce" }, executionArn: execution.replace("d-BGUNIT002", "d-BGUNIT003") });
    expect(out.fleet).toMatchObject({ phase: "provision", total: 1, instances: [] });
    expect(asg.groups.get("CodeDeploy_prod_d-BGUNIT003")).toMatchObject({ desiredCapacity: 1, launchTemplate: { name: "web-lt" } });
  });

  it("the janitor's restore: originals back in, replacements (found or copied) out, the copy deleted; nothing once the originals retire", async () => {
    const { restoreServerBlueGreen } = await import("../../../functions/services/server/janitor.js");
    const w2 = fakeWorld();
    const lb = w2.deps.loadBalancer as FakeLoadBalancer;
    const asg = w2.deps.autoScaling as FakeAutoScaling;
    const ec2 = w2.deps.instances as FakeInstances;
    const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-web/0123456789abcdef";
    lb.targetGroups.set("orders-web", tg);
    for (const id of ["i-0b1", "i-0b2"]) ec2.instances.set(id, { id, state: "running", tags: {} });
    asg.groups.set("green", { name: "green", minSize: 0, maxSize: 2, desiredCapacity: 2, instances: [{ id: "i-0a1", lifecycleState: "InService" }, { id: "i-0a2", lifecycleState: "InService" }], tags: [], targetGroupArns: [] });
    const view = { original: ["i-0b1", "i-0b2"], green: [], targetGroups: ["orders-web"], greenGroup: "green" };
    expect(await restoreServerBlueGreen(w2.deps, "d-BGUNIT009", view)).toBe(true);
    expect(lb.registrations).toEqual([`+${tg} i-0b1,i-0b2`, `-${tg} i-0a1,i-0a2`]);
    expect(asg.deleted).toEqual(["green"]);
    ec2.instances.get("i-0b2")!.state = "shutting-down";
    expect(await restoreServerBlueGreen(w2.deps, "d-BGUNIT009", { ...view, greenGroup: undefined, green: ["i-0c1"] })).toBe("the original instances were being retired (i-0b2 shutting-down): traffic stays on the replacement instances");
    expect(lb.registrations).toHaveLength(2);
  });
});
