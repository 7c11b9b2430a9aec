import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideLaunch, parseLaunchEvent } from "../../../functions/domain/fleet/launch.js";
import { parseGroups } from "../../../functions/domain/groups/groups.js";
import type { ServerDeploymentGroup } from "../../../functions/domain/groups/groups.js";
import { ErrorNames } from "../../../functions/domain/errors.js";
import { followUpIdOf, type PlannedFollowUp, planFollowUp } from "../../../functions/services/server/follow-up.js";
import { deployToLaunchedInstance, launchDeploymentIdOf, leaveOutLaunching, putLaunchHooks } from "../../../functions/services/server/launch.js";
import type { ServerRun } from "../../../functions/domain/fleet/run.js";
import type { FleetState } from "../../../functions/services/server/state.js";
import { fakeWorld } from "../../support/fakes/index.js";
import type { FakeExecutions } from "../../support/fakes/executions.js";
import type { FakeAutoScaling, FakeInstances } from "../../support/fakes/instances.js";
import type { FakeRunCommand } from "../../support/fakes/run-command.js";

const GROUPS = parseGroups({
  applications: {
    web: {
      computePlatform: "Server",
      deploymentGroups: {
        prod: { autoScalingGroups: ["web-asg"], deploymentConfigName: "CodeDeployDefault.HalfAtATime", alarmConfiguration: { alarms: ["web-5xx"] } },
        other: { ec2TagFilters: [{ Key: "app", Value: "web", Type: "KEY_AND_VALUE" }] },
      },
    },
  },
});
const PROD = GROUPS.groups.find((g) => g.deploymentGroup === "prod") as ServerDeploymentGroup;
const HOOK = { name: `stepdeploy-launch-${PROD.id}`, token: "00000001-7a1e-4000-8000-000000000004" };
const LAUNCH_INPUT = { autoScalingGroup: "web-asg", instanceId: "i-0a500000000000004", lifecycleHook: HOOK };
const LAUNCH = { ...LAUNCH_INPUT, deploymentGroupId: PROD.id };
const REVISION = { bucket: "web-bundles", key: "web/v1.zip", bundleType: "zip" as const, eTag: '"0123456789abcdef0123456789abcdef"' };
const LAST = { deploymentId: "d-WEBV00001", revision: REVISION };
const event = (detail: Record<string, unknown>, detailType = "EC2 Instance-launch Lifecycle Action") => ({ version: "0", source: "aws.autoscaling", "detail-type": detailType, detail: { LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", LifecycleHookName: HOOK.name, LifecycleActionToken: HOOK.token, Origin: "EC2", Destination: "AutoScalingGroup", ...detail } });
const decide = (over: Partial<Parameters<typeof decideLaunch>[0]> = {}) => decideLaunch({ groups: GROUPS, group: PROD, launch: LAUNCH, instanceState: "running", last: LAST, holder: undefined, deploymentId: "d-LAUNCH001", ...over });

describe("an Auto Scaling launch event", () => {
  it.each([
    ["a launch held by our hook", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004" }), LAUNCH],
    ["another hook's launch: not ours", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004", LifecycleHookName: "warm-up" }), undefined],
    ["Launch Successful (no hook): refused", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004" }, "EC2 Instance Launch Successful"), "detail-type"],
    ["a terminate action", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004", LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" }), "detail.LifecycleTransition"],
    ["no token", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004", LifecycleActionToken: "" }), "detail.LifecycleActionToken"],
    ["no hook name", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "i-0a500000000000004", LifecycleHookName: undefined }), "detail.LifecycleHookName"],
    ["no group", event({ EC2InstanceId: "i-0a500000000000004" }), "detail.AutoScalingGroupName"],
    ["no instance id", event({ AutoScalingGroupName: "web-asg", EC2InstanceId: "web-4" }), "detail.EC2InstanceId"],
    ["not an event", null, "detail-type"],
  ] as const)("%s", (_label, raw, expected) => {
    if (typeof expected !== "string") return expect(parseLaunchEvent(raw)).toEqual(expected);
    expect(() => parseLaunchEvent(raw)).toThrow(expect.objectContaining({ name: ErrorNames.InvalidInput, field: expected }) as never);
  });
});

describe("decideLaunch: what a launched instance gets", () => {
  it.each([
    ["running, the group idle: the last good revision under the group's lock", {}, { action: "deploy", input: { launch: LAUNCH_INPUT, target: { instanceIds: [LAUNCH.instanceId] }, revision: REVISION, deploymentConfig: "CodeDeployDefault.AllAtOnce", autoRollback: { enabled: false }, alarms: ["web-5xx"] } }],
    ["running while d-RUNNING01 deploys: the last good revision, beside it", { holder: "d-RUNNING01" }, { action: "deploy", input: { launch: { ...LAUNCH_INPUT, during: "d-RUNNING01" }, revision: REVISION } }],
    ["terminating", { instanceState: "shutting-down" }, { action: "ignore", reason: "i-0a500000000000004 is shutting-down, not running: no deployment starts on it" }],
    ["terminated", { instanceState: "terminated" }, { action: "ignore" }],
    ["unknown to EC2", { instanceState: undefined }, { action: "ignore", reason: "i-0a500000000000004 is unknown to EC2, not running: no deployment starts on it" }],
    ["the group never succeeded", { last: undefined }, { action: "ignore", reason: "web/prod has no successful deployment yet: nothing to install on i-0a500000000000004" }],
  ] as const)("%s", (_label, over, expected) => {
    expect(decide(over as never)).toMatchObject(expected);
  });

  it("property: only a running instance gets a deployment, of exactly the last good revision, to that instance alone", () => {
    fc.assert(
      fc.property(fc.constantFrom("pending", "running", "shutting-down", "terminated", "stopping", "stopped", undefined), fc.option(fc.constantFrom("d-RUNNING01", "d-RUNNING02"), { nil: undefined }), (state, holder) => {
        const d = decide({ instanceState: state, holder });
        if (state !== "running") return d.action === "ignore";
        if (d.action !== "deploy") return false;
        expect(d.input).toMatchObject({ target: { instanceIds: [LAUNCH.instanceId] }, revision: REVISION, launch: holder ? { during: holder } : LAUNCH_INPUT });
        return holder ? true : !("during" in (d.input.launch as object));
      }),
    );
  });
});

describe("launchServer's service over fake ports", () => {
  const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-test-deploy-server";
  const succeeded = async (w: ReturnType<typeof fakeWorld>, id: string) => {
    await w.deps.registry.createDeployment({ deploymentId: id, application: "web", deploymentGroup: "prod", deploymentConfigName: "CodeDeployDefault.HalfAtATime", platform: "Server", target: {} });
    await w.deps.registry.markInProgress(id, `${SM}:${id}`, { deploymentConfigName: "CodeDeployDefault.HalfAtATime", target: { revision: { ...REVISION } } });
    await w.deps.registry.markSucceeded(id);
  };

  it("starts one deployment per event (a second delivery finds it); CONTINUE at once when there is nothing to deploy; nothing for terminating instances", async () => {
    const w = fakeWorld({ groups: GROUPS });
    const asg = w.deps.autoScaling as FakeAutoScaling;
    (w.deps.instances as FakeInstances).instances.set(LAUNCH.instanceId, { id: LAUNCH.instanceId, state: "running", tags: {} });
    const raw = event({ AutoScalingGroupName: "web-asg", EC2InstanceId: LAUNCH.instanceId });
    expect(await deployToLaunchedInstance(w.deps, raw, SM)).toMatchObject({ started: [], ignored: [{ group: "web/prod", reason: expect.stringContaining("no successful deployment") }], continued: true });
    expect(asg.completed).toEqual([`web-asg/${HOOK.name} ${HOOK.token} CONTINUE`]);
    await succeeded(w, "d-WEBV00001");
    const id = launchDeploymentIdOf(PROD.id, LAUNCH.instanceId);
    expect(await deployToLaunchedInstance(w.deps, raw, SM)).toEqual({ started: [{ deploymentId: id, group: "web/prod" }], ignored: [] });
    expect(await deployToLaunchedInstance(w.deps, raw, SM)).toEqual({ started: [{ deploymentId: id, group: "web/prod" }], ignored: [] });
    expect([...(w.deps.executions as FakeExecutions).started.keys()]).toEqual([`${SM.replace(":stateMachine:", ":execution:")}:${id}`]);
    expect(await w.deps.registry.getDeployment(id)).toMatchObject({ creator: "autoscaling", status: "Created", lockKey: "codedeploy:deploymentgroup:web/prod" });
    expect(asg.completed).toHaveLength(1);
    expect(await deployToLaunchedInstance(w.deps, event({ AutoScalingGroupName: "batch-asg", EC2InstanceId: LAUNCH.instanceId }), SM)).toEqual({ started: [], ignored: [{ reason: `no in-place Server group of this stage has id ${PROD.id} and lists Auto Scaling group batch-asg` }], continued: true });
    expect(await deployToLaunchedInstance(w.deps, event({ AutoScalingGroupName: "web-asg", EC2InstanceId: LAUNCH.instanceId, LifecycleHookName: "warm-up" }), SM)).toEqual({ started: [], ignored: [{ reason: "another lifecycle hook's action: not stepdeploy's to complete" }] });
    expect(asg.completed).toHaveLength(2);
    (w.deps.instances as FakeInstances).instances.get(LAUNCH.instanceId)!.state = "shutting-down";
    const other = { ...LAUNCH, instanceId: "i-0a500000000000005" };
    (w.deps.instances as FakeInstances).instances.set(other.instanceId, { id: other.instanceId, state: "shutting-down", tags: {} });
    expect((await deployToLaunchedInstance(w.deps, event({ AutoScalingGroupName: "web-asg", EC2InstanceId: other.instanceId }), SM)).ignored[0]?.reason).toContain("shutting-down");
    // a terminating instance has no lifecycle action left to complete
    expect(asg.completed).toHaveLength(2);
  });

  it("the follow-on deployment (UPDATE): the groups' instances that were not in the fleet, once their launch deployments ended, once, first in the group's queue", async () => {
    const w = fakeWorld({ groups: GROUPS });
    const ssm = w.deps.runCommand as FakeRunCommand;
    const ec2 = w.deps.instances as FakeInstances;
    for (const id of ["i-0a500000000000001", "i-0a500000000000004", "i-0a500000000000005"]) {
      ssm.nodes.push({ id, platform: "Linux", online: true, tags: { "aws:autoscaling:groupName": "web-asg" } });
      ec2.instances.set(id, { id, state: id.endsWith("5") ? "shutting-down" : "running", tags: {} });
    }
    await w.deps.registry.createDeployment({ deploymentId: "d-WEBV00002", application: "web", deploymentGroup: "prod", deploymentConfigName: "CodeDeployDefault.HalfAtATime", platform: "Server", target: {}, lockKey: "codedeploy:deploymentgroup:web/prod" });
    await w.deps.registry.markInProgress("d-WEBV00002", `${SM}:d-WEBV00002`, { deploymentConfigName: "CodeDeployDefault.HalfAtATime", target: { revision: { ...REVISION, key: "web/v2.zip" } } });
    await w.deps.registry.acquireLock({ lockKey: "codedeploy:deploymentgroup:web/prod", application: "web", deploymentGroup: "prod", deploymentId: "d-WEBV00002" });
    const run = { deploymentId: "d-WEBV00002", application: "web", deploymentGroup: "prod", deploymentGroupId: PROD.id, lockKey: "codedeploy:deploymentgroup:web/prod", alarms: [], ignorePollAlarmFailure: false, autoRollback: { enabled: true, events: [] }, deploymentConfig: "CodeDeployDefault.HalfAtATime", pollSeconds: 15, autoScalingGroups: ["web-asg"], outdatedInstancesStrategy: "UPDATE", eventDetail: {}, resources: [] } as ServerRun;
    const fleet = { instances: ["i-0a500000000000001"], unreachable: [] } as unknown as FleetState;
    // the guard: while the launched instance's launch deployment has not ended, the follow-on waits for it
    const launchId = launchDeploymentIdOf(PROD.id, "i-0a500000000000004");
    await w.deps.registry.createDeployment({ deploymentId: launchId, application: "web", deploymentGroup: "prod", deploymentConfigName: "CodeDeployDefault.AllAtOnce", platform: "Server", target: {}, creator: "autoscaling" });
    expect(await planFollowUp(w.deps, run, fleet, SM)).toEqual({ waitFor: ["i-0a500000000000004"] });
    await w.deps.registry.markInProgress(launchId, `${SM}:${launchId}`, { deploymentConfigName: "CodeDeployDefault.AllAtOnce", target: { revision: { ...REVISION } } });
    expect(await planFollowUp(w.deps, run, fleet, SM)).toEqual({ waitFor: ["i-0a500000000000004"] });
    await w.deps.registry.markSucceeded(launchId);
    expect((await w.deps.registry.listQueue({ lockKey: run.lockKey })).map((q) => q.deploymentId)).toEqual([]);
    const planned = (await planFollowUp(w.deps, run, fleet, SM)) as PlannedFollowUp | undefined;
    expect(planned).toMatchObject({ deploymentId: followUpIdOf("d-WEBV00002"), input: { target: { instanceIds: ["i-0a500000000000004"] }, revision: { key: "web/v2.zip" }, autoUpdateOf: "d-WEBV00002", deploymentConfig: "CodeDeployDefault.OneAtATime" } });
    expect(await planFollowUp(w.deps, run, fleet, SM)).toEqual(planned);
    expect((await w.deps.registry.listQueue({ lockKey: run.lockKey })).map((q) => q.deploymentId)).toEqual([planned?.deploymentId]);
    expect(await w.deps.registry.getDeployment(planned?.deploymentId ?? "")).toMatchObject({ creator: "CodeDeployAutoUpdate", status: "Created" });
    expect(await planFollowUp(w.deps, { ...run, outdatedInstancesStrategy: "IGNORE" }, fleet, SM)).toBeUndefined();
    expect(await planFollowUp(w.deps, run, { ...fleet, instances: ["i-0a500000000000001", "i-0a500000000000004"] }, SM)).toBeUndefined();
  });

  it("Start: the deployment group's launch hook on each Auto Scaling group; instances still launching (Pending, Pending:Wait) are left out of the fleet", async () => {
    const w = fakeWorld({ groups: GROUPS });
    const asg = w.deps.autoScaling as FakeAutoScaling;
    await putLaunchHooks(w.deps, "d-WEBV00002", PROD.id, ["web-asg", "api-asg"]);
    expect(asg.hooks).toEqual([`web-asg/stepdeploy-launch-${PROD.id}`, `api-asg/stepdeploy-launch-${PROD.id}`]);
    const view = { minSize: 1, maxSize: 6, desiredCapacity: 4, tags: [], targetGroupArns: [] };
    asg.groups.set("web-asg", { name: "web-asg", ...view, instances: [{ id: "i-0a500000000000001", lifecycleState: "InService" }, { id: "i-0a500000000000004", lifecycleState: "Pending:Wait" }, { id: "i-0a500000000000005", lifecycleState: "Pending" }] });
    const found = { reachable: ["i-0a500000000000001", "i-0a500000000000004"], unreachable: [{ instanceId: "i-0a500000000000005", reason: "its EC2 state is pending, not running" }] };
    expect(await leaveOutLaunching(w.deps, "d-WEBV00002", ["web-asg"], found)).toEqual({ reachable: ["i-0a500000000000001"], unreachable: [] });
    expect(await leaveOutLaunching(w.deps, "d-WEBV00002", [], found)).toEqual(found);
  });
});
