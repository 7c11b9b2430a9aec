import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorNames } from "../../../functions/domain/errors.js";
import { parseServerInput } from "../../../functions/domain/fleet/input.js";
import { decideTermination, groupOfTermination, parseTerminationEvent, terminationHookName } from "../../../functions/domain/fleet/termination.js";
import { parseGroups, type ServerDeploymentGroup } from "../../../functions/domain/groups/groups.js";
import { phaseSegments } from "../../../functions/domain/server-install/index.js";
import { putLaunchHooks } from "../../../functions/services/server/launch.js";
import { deployToTerminatingInstance, terminationDeploymentIdOf } from "../../../functions/services/server/termination.js";
import { fakeWorld } from "../../support/fakes/index.js";
import type { FakeExecutions } from "../../support/fakes/executions.js";
import type { FakeAutoScaling, FakeInstances } from "../../support/fakes/instances.js";

const GROUPS = parseGroups({
  applications: {
    web: {
      computePlatform: "Server",
      deploymentGroups: {
        prod: { autoScalingGroups: ["web-asg"], terminationHookEnabled: true, loadBalancerInfo: { targetGroupInfoList: [{ name: "web-tg" }] } },
        plain: { autoScalingGroups: ["web-asg"] },
      },
    },
  },
});
const PROD = GROUPS.groups.find((g) => g.deploymentGroup === "prod") as ServerDeploymentGroup;
const HOOK = { name: terminationHookName(PROD.id), token: "00000002-7a1e-4000-8000-000000000003" };
const TERMINATION = { autoScalingGroup: "web-asg", instanceId: "i-0a500000000000003", deploymentGroupId: PROD.id, lifecycleHook: HOOK };
const REVISION = { bucket: "web-bundles", key: "web/v1.zip", bundleType: "zip" as const, eTag: '"0123456789abcdef0123456789abcdef"' };
const LAST = { deploymentId: "d-WEBV00001", revision: REVISION };
const INSTALLED = { deploymentId: "d-WEBV00001", revision: "s3://web-bundles/web/v1.zip" };
const event = (detail: Record<string, unknown>, detailType = "EC2 Instance-terminate Lifecycle Action") => ({ source: "aws.autoscaling", "detail-type": detailType, detail: { LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", LifecycleHookName: HOOK.name, LifecycleActionToken: HOOK.token, AutoScalingGroupName: "web-asg", EC2InstanceId: TERMINATION.instanceId, Origin: "AutoScalingGroup", Destination: "EC2", ...detail } });
const decide = (over: Partial<Parameters<typeof decideTermination>[0]> = {}) => decideTermination({ groups: GROUPS, group: PROD, termination: TERMINATION, instanceState: "running", installed: INSTALLED, last: LAST, holder: undefined, deploymentId: "d-TERMN0001", ...over });

describe("terminationHookEnabled on a Server group", () => {
  it("defaults to false; a group with it gives its deployments terminationHookEnabled; a non-boolean is refused naming the field", () => {
    expect([PROD.terminationHookEnabled, (GROUPS.groups.find((g) => g.deploymentGroup === "plain") as ServerDeploymentGroup).terminationHookEnabled]).toEqual([true, false]);
    expect(() => parseGroups({ applications: { web: { computePlatform: "Server", deploymentGroups: { prod: { autoScalingGroups: ["a"], terminationHookEnabled: "yes" } } } } })).toThrow(/terminationHookEnabled/);
    const input = decide();
    expect(input.action === "deploy" && "terminationHookEnabled" in input.input).toBe(false);
  });
});

describe("an Auto Scaling terminate lifecycle action", () => {
  it.each([
    ["a scale-in held by our hook", event({}), TERMINATION],
    ["another hook's: not ours", event({ LifecycleHookName: "drain-logs" }), undefined],
    ["a launch action: refused", event({}, "EC2 Instance-launch Lifecycle Action"), "detail-type"],
    ["the launch transition", event({ LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" }), "detail.LifecycleTransition"],
    ["no token", event({ LifecycleActionToken: "" }), "detail.LifecycleActionToken"],
    ["no instance id", event({ EC2InstanceId: "web-3" }), "detail.EC2InstanceId"],
  ] as const)("%s", (_label, raw, expected) => {
    if (typeof expected !== "string") return expect(parseTerminationEvent(raw)).toEqual(expected);
    expect(() => parseTerminationEvent(raw)).toThrow(expect.objectContaining({ name: ErrorNames.InvalidInput, field: expected }) as never);
  });

  it("belongs to the in-place group whose id the hook names and that lists the Auto Scaling group", () => {
    expect(groupOfTermination(GROUPS, TERMINATION)?.deploymentGroup).toBe("prod");
    expect(groupOfTermination(GROUPS, { ...TERMINATION, autoScalingGroup: "other-asg" })).toBeUndefined();
  });
});

describe("decideTermination: what a scaled-in instance gets", () => {
  it.each([
    ["running with our revision: a termination deployment to it alone, the group's target groups", {}, { action: "deploy", input: { termination: { instanceId: TERMINATION.instanceId, autoScalingGroup: "web-asg", lifecycleHook: HOOK }, target: { instanceIds: [TERMINATION.instanceId] }, deploymentConfig: "CodeDeployDefault.AllAtOnce", autoRollback: { enabled: false }, targetGroups: ["web-tg"] } }],
    ["while d-RUNNING01 deploys: beside it", { holder: "d-RUNNING01" }, { action: "deploy", input: { termination: { during: "d-RUNNING01" } } }],
    ["never deployed to by us", { installed: undefined }, { action: "continue", reason: "web/prod never deployed to i-0a500000000000003: no scripts of ours to stop it with" }],
    ["already shutting down", { instanceState: "shutting-down" }, { action: "continue" }],
    ["the group never succeeded", { last: undefined }, { action: "continue" }],
  ] as const)("%s", (_label, over, expected) => {
    expect(decide(over as never)).toMatchObject(expected);
  });

  it("its input is a valid deploy-server input; termination goes with neither launch nor blue/green", () => {
    const d = decide();
    if (d.action !== "deploy") throw new Error("expected a deployment");
    expect(parseServerInput(d.input).termination).toEqual({ instanceId: TERMINATION.instanceId, autoScalingGroup: "web-asg", lifecycleHook: HOOK });
    expect(() => parseServerInput({ ...d.input, launch: { instanceId: TERMINATION.instanceId, autoScalingGroup: "web-asg" } })).toThrow(/termination/);
  });

  it("property: a deployment only for a running instance with our revision, always to that instance alone, never rolled back", () => {
    fc.assert(
      fc.property(fc.constantFrom("pending", "running", "shutting-down", "terminated", undefined), fc.boolean(), fc.option(fc.constantFrom("d-RUNNING01"), { nil: undefined }), (state, ours, holder) => {
        const d = decide({ instanceState: state, installed: ours ? INSTALLED : undefined, holder });
        if (state !== "running" || !ours) return d.action === "continue";
        return d.action === "deploy" && (d.input.target as { instanceIds: string[] }).instanceIds.join() === TERMINATION.instanceId && (d.input.autoRollback as { enabled: boolean }).enabled === false;
      }),
    );
  });
});

describe("a termination deployment's commands", () => {
  it.each([
    [true, ["BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic", "ApplicationStop"]],
    [false, ["ApplicationStop"]],
  ])("with a load balancer %s: %j, nothing recorded", (lb, events) => {
    const segments = phaseSegments("terminate", lb);
    expect(segments.flatMap((s) => [...s.events, ...(s.traffic ? [s.traffic] : [])])).toEqual(events);
    expect(segments.some((s) => s.records)).toBe(false);
  });
});

describe("terminateServer's service over fake ports", () => {
  const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-test-deploy-server";

  it("CONTINUE at once for an instance we never deployed to; else one termination deployment per event (a second delivery finds it)", async () => {
    const w = fakeWorld({ groups: GROUPS });
    const asg = w.deps.autoScaling as FakeAutoScaling;
    (w.deps.instances as FakeInstances).instances.set(TERMINATION.instanceId, { id: TERMINATION.instanceId, state: "running", tags: {} });
    expect(await deployToTerminatingInstance(w.deps, event({}), SM)).toMatchObject({ started: [], ignored: [{ group: "web/prod", reason: expect.stringContaining("never deployed to") }], continued: true });
    expect(asg.completed).toEqual([`web-asg/${HOOK.name} ${HOOK.token} CONTINUE`]);
    await w.deps.registry.createDeployment({ deploymentId: "d-WEBV00001", application: "web", deploymentGroup: "prod", deploymentConfigName: "CodeDeployDefault.AllAtOnce", platform: "Server", target: {} });
    await w.deps.registry.markInProgress("d-WEBV00001", `${SM}:d-WEBV00001`, { deploymentConfigName: "CodeDeployDefault.AllAtOnce", target: { revision: { ...REVISION } } });
    await w.deps.registry.recordInstanceResults({ application: "web", deploymentGroup: "prod" }, "d-WEBV00001", "s3://web-bundles/web/v1.zip#e", [{ instanceId: TERMINATION.instanceId, succeeded: true }]);
    await w.deps.registry.markSucceeded("d-WEBV00001");
    const id = terminationDeploymentIdOf(PROD.id, TERMINATION.instanceId);
    expect(await deployToTerminatingInstance(w.deps, event({}), SM)).toEqual({ started: [{ deploymentId: id, group: "web/prod" }], ignored: [] });
    expect(await deployToTerminatingInstance(w.deps, event({}), SM)).toEqual({ started: [{ deploymentId: id, group: "web/prod" }], ignored: [] });
    expect([...(w.deps.executions as FakeExecutions).started.keys()]).toEqual([`${SM.replace(":stateMachine:", ":execution:")}:${id}`]);
    expect(await w.deps.registry.getDeployment(id)).toMatchObject({ creator: "autoscalingTermination", status: "Created", lockKey: "codedeploy:deploymentgroup:web/prod" });
    expect(asg.completed).toHaveLength(1);
  });

  it("Start puts the termination hook beside the launch hook only with terminationHookEnabled", async () => {
    const w = fakeWorld({ groups: GROUPS });
    const asg = w.deps.autoScaling as FakeAutoScaling;
    await putLaunchHooks(w.deps, "d-WEBV00001", PROD.id, ["web-asg"], true);
    await putLaunchHooks(w.deps, "d-WEBV00002", PROD.id, ["web-asg"]);
    expect(asg.hooks).toEqual([`web-asg/stepdeploy-launch-${PROD.id}`, `web-asg/${HOOK.name}`, `web-asg/stepdeploy-launch-${PROD.id}`]);
  });
});
