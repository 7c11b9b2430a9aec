// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import { afterEach, describe, expect, it } from "vitest";
import { registry } from "../../functions/wiring.js";
import { launchDeploymentIdOf } from "../../functions/services/server/launch.js";
import { followUpIdOf } from "../../functions/services/server/follow-up.js";
import { terminationDeploymentIdOf } from "../../functions/services/server/termination.js";
import { autoScalingWorldOf } from "../../local/account/autoscaling/index.js";
import { ec2WorldOf } from "../../local/account/ec2/index.js";
import { loadServerScenario, openServerWorld, type ServerRunReport, type ServerWorld } from "../../local/simulate/server.js";

/**
 * Auto Scaling during a deployment (events/server/scale-out-mid-deployment.json, scale-in-termination-hook.json) on the real deploy-server ASL, the
 * simulated Auto Scaling, EC2 and SSM, and the stack's "EC2 Instance-launch Lifecycle Action" rule to launchServer: the
 * world is moved while v2 runs (scale-out, a launch that is terminating) and checked after each step. A launched
 * instance waits in Pending:Wait under the group's launch hook until its launch deployment completes the action.
 */
let w: ServerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const a = (k: number) => `i-0a5${k.toString(16).padStart(14, "0")}`;
const GROUP_ID = "2ec38add-e001-5acc-b058-8eddd53ece7e";
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;

/** Runs `check` at simulated second `atSeconds` (absolute), while deployments run; `done` settles with its outcome. */
function at(sw: ServerWorld, atSeconds: number, name: string, check: () => Promise<void> | void): { done: Promise<void> } {
  let settle: (e?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  sw.world.account.onAction(name, async () => Promise.resolve(check()).then(() => settle(), settle));
  sw.world.account.applyTimeline([{ atSeconds, action: name }]);
  return { done };
}

const ec2State = (sw: ServerWorld, id: string) => ec2WorldOf(sw.world.account).stateOf(ec2WorldOf(sw.world.account).instance(id)!);
const revisionKey = (r: { target?: Record<string, unknown> } | undefined) => (r?.target?.revision as { key?: string } | undefined)?.key;
const HOOK = `stepdeploy-launch-${GROUP_ID}`;
/** Each instance's Auto Scaling lifecycle state, and how each lifecycle action ended, relative to `t0`. */
const lifecycle = (sw: ServerWorld) => {
  const asg = autoScalingWorldOf(sw.world.account);
  return Object.fromEntries([1, 2, 3, 4, 5, 6].filter((k) => ec2WorldOf(sw.world.account).instance(a(k))).map((k) => [a(k), asg.stateOf(a(k))]));
};
const completions = (sw: ServerWorld, t0: number) => {
  const startMs = sw.world.clock.now() - sw.world.clock.elapsedSeconds() * 1000;
  return autoScalingWorldOf(sw.world.account).completions.map((c) => `${c.instanceId} ${c.result} by ${c.by} at ${(c.atMs - startMs) / 1000 - t0}`);
};

/** Opens the scenario's world and deploys v1 (which puts the launch hook); v2 is the caller's, `t0` its start. */
async function v1Deployed(scenario: ReturnType<typeof loadServerScenario>) {
  w = await openServerWorld(scenario);
  const [v1, v2] = scenario.deployments;
  expect((await w.deploy(v1!)).status).toBe("SUCCEEDED");
  return { sw: w, v2, t0: w.world.clock.elapsedSeconds(), launchId: launchDeploymentIdOf(GROUP_ID, a(4)) };
}

describe("deploy-server and Auto Scaling (events/server/scale-out-mid-deployment)", { timeout: 240_000 }, () => {
  it("a scale-out mid-deployment gets the last good revision, a terminating launch gets nothing, and UPDATE brings the new revision after", async () => {
    const scenario = loadServerScenario("scale-out-mid-deployment");
    w = await openServerWorld(scenario);
    const sw = w;
    const [v1, v2] = scenario.deployments;
    const first = await sw.deploy(v1!);
    expect(first.status, ok(first)).toBe("SUCCEEDED");
    expect(sw.revisions()).toEqual({ [a(1)]: "d-SCALEV001", [a(2)]: "d-SCALEV001", [a(3)]: "d-SCALEV001" });
    // v1's Start put the deployment group's launch hook on the group (PutLifecycleHook, idempotent at every Start)
    expect([...(autoScalingWorldOf(sw.world.account).groups.get("scaling-asg")?.hooks.values() ?? [])]).toEqual([{ name: HOOK, transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeatTimeoutSeconds: 3600, defaultResult: "ABANDON" }]);
    const t0 = sw.world.clock.elapsedSeconds();
    const launchId = launchDeploymentIdOf(GROUP_ID, a(4));
    const followUpId = followUpIdOf("d-SCALEV002");
    // 45 s into v2: the fourth instance (InService at 35 s) is getting v1 beside v2, under its own lock; v2 holds the group's
    const mid = at(sw, t0 + 45, "mid", async () => {
      // (first, before any await lets the clock move) the fourth waits in Pending:Wait, not InService, while its launch deployment runs; the fifth is still pending
      expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "InService", [a(4)]: "Pending:Wait", [a(5)]: "Pending" });
      expect(completions(sw, t0)).toEqual([]);
      const launch = await registry().getDeployment(launchId);
      expect(launch).toMatchObject({ status: "InProgress", creator: "autoscaling", lockKey: `codedeploy:deploymentgroup:scaling-web/web/launch/${a(4)}` });
      expect(revisionKey(launch)).toBe("orders-v1.zip");
      expect(launch?.description).toBe(`Launch of ${a(4)} into scaling-asg: the revision of d-SCALEV001 (while d-SCALEV002 runs)`);
      expect(await registry().getDeployment("d-SCALEV002")).toMatchObject({ status: "InProgress" });
      expect((await registry().getLock({ lockKey: "codedeploy:deploymentgroup:scaling-web/web" }))?.holderDeploymentId).toBe("d-SCALEV002");
    });
    const r = await sw.deploy(v2!);
    await mid.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    // v2 went to its own 3 instances only; the launched one got v1 from the launch deployment, which ended first
    expect(r.commands).toEqual([[a(1)], [a(2)], [a(3)]]);
    expect(sw.revisions()).toMatchObject({ [a(1)]: "d-SCALEV002", [a(4)]: launchId, [a(5)]: null });
    await sw.world.within(async () => {
      const launch = await registry().getDeployment(launchId);
      expect(launch).toMatchObject({ status: "Succeeded" });
      // the launch deployment never becomes the group's last successful one (it reinstalled it)
      expect((await registry().getLastSuccessful({ application: "scaling-web", deploymentGroup: "web" }))?.deploymentId).toBe("d-SCALEV002");
      // the fifth instance was terminating when its launch event came: delivered, and no deployment
      expect(await registry().getDeployment(launchDeploymentIdOf(GROUP_ID, a(5)))).toBeUndefined();
      expect(await registry().getDeployment(followUpId)).toMatchObject({ creator: "CodeDeployAutoUpdate", description: "Auto-update of 1 outdated instance launched during d-SCALEV002" });
    });
    const launches = sw.world.account.deliveries.filter((d) => d.source === "aws.autoscaling");
    expect(launches.map((d) => `${d.atSeconds - t0} ${d.detailType} ${d.status}`)).toEqual(["40 EC2 Instance-launch Lifecycle Action delivered", "50 EC2 Instance-launch Lifecycle Action delivered"]);
    const ec2 = ec2WorldOf(sw.world.account);
    expect(ec2.stateOf(ec2.instance(a(5))!)).toBe("shutting-down");
    // the launch deployment's success completed the fourth's lifecycle action CONTINUE: it is InService
    expect(completions(sw, t0)).toEqual([`${a(4)} CONTINUE by CompleteLifecycleAction at 55`]);
    expect(lifecycle(sw)).toMatchObject({ [a(4)]: "InService", [a(5)]: "Terminating" });
    // the follow-on deployment: v2 to the instance launched meanwhile, after v2, with the group's lock handed over
    const f = await sw.follow(followUpId);
    expect(f.status, ok(f)).toBe("SUCCEEDED");
    expect(f.commands).toEqual([[a(4)]]);
    expect(sw.revisions()).toEqual({ [a(1)]: "d-SCALEV002", [a(2)]: "d-SCALEV002", [a(3)]: "d-SCALEV002", [a(4)]: followUpId, [a(5)]: null });
    await sw.world.within(async () => {
      expect(revisionKey(await registry().getDeployment(followUpId))).toBe("orders-v2.zip");
      expect(await registry().getLock({ lockKey: "codedeploy:deploymentgroup:scaling-web/web" })).toBeUndefined();
    });
  });

  it("IGNORE: the launched instance keeps the revision it got at launch, and no follow-on deployment starts", async () => {
    const scenario = loadServerScenario("scale-out-mid-deployment");
    for (const d of scenario.deployments) d.input.outdatedInstancesStrategy = "IGNORE";
    w = await openServerWorld(scenario);
    const [v1, v2] = scenario.deployments;
    expect((await w.deploy(v1!)).status).toBe("SUCCEEDED");
    const r = await w.deploy(v2!);
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    const launchId = launchDeploymentIdOf(GROUP_ID, a(4));
    await w.world.within(async () => {
      expect(await registry().getDeployment(launchId)).toMatchObject({ status: "Succeeded", creator: "autoscaling" });
      expect(await registry().getDeployment(followUpIdOf("d-SCALEV002"))).toBeUndefined();
    });
    expect(w.revisions()).toEqual({ [a(1)]: "d-SCALEV002", [a(2)]: "d-SCALEV002", [a(3)]: "d-SCALEV002", [a(4)]: launchId, [a(5)]: null });
  });

  it("a follow-on deployment whose execution cannot be started is closed Failed (Deploy.AutoUpdateFailed) and frees the group; the deployment still succeeded", async () => {
    const scenario = loadServerScenario("scale-out-mid-deployment");
    w = await openServerWorld(scenario);
    const sw = w;
    const [v1, v2] = scenario.deployments;
    expect((await sw.deploy(v1!)).status).toBe("SUCCEEDED");
    const t0 = sw.world.clock.elapsedSeconds();
    // 50 s into v2, its last batch and the launch deployment have started: from then on every StartExecution fails
    const broken = at(sw, t0 + 50, "break-sfn", () => {
      expect(sw.world.account.sfn.executions.map((e) => e.name)).toEqual(expect.arrayContaining(["d-SCALEV002-batch-3", launchDeploymentIdOf(GROUP_ID, a(4))]));
      sw.world.account.addFault({ operation: "SFN.StartExecution", kind: "5xx" });
    });
    const r = await sw.deploy(v2!);
    await broken.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    const followUpId = followUpIdOf("d-SCALEV002");
    expect(sw.world.account.sfn.executions.map((e) => e.name)).not.toContain(followUpId);
    await sw.world.within(async () => {
      expect(await registry().getDeployment("d-SCALEV002")).toMatchObject({ status: "Succeeded" });
      const f = await registry().getDeployment(followUpId);
      expect(f).toMatchObject({ status: "Failed", errorName: "Deploy.AutoUpdateFailed", creator: "CodeDeployAutoUpdate" });
      expect(JSON.stringify(f)).toContain("the follow-on execution could not be started");
      expect(await registry().getLock({ lockKey: "codedeploy:deploymentgroup:scaling-web/web" })).toBeUndefined();
    });
    expect(sw.revisions()[a(4)]).toBe(launchDeploymentIdOf(GROUP_ID, a(4)));
  });

  it("events/server/launch-deployment-fails: the launch deployment fails, its action is completed ABANDON, Auto Scaling terminates the instance and replaces it", async () => {
    const { sw, v2, t0, launchId } = await v1Deployed(loadServerScenario("launch-deployment-fails"));
    // 45 s: the fourth (from the new template version) waits in Pending:Wait while its launch deployment runs
    const mid = at(sw, t0 + 45, "mid", async () => {
      expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "InService", [a(4)]: "Pending:Wait" });
      expect(await registry().getDeployment(launchId)).toMatchObject({ status: "InProgress", creator: "autoscaling" });
    });
    // 57 s: ABANDONed at 55 s: the fourth is terminating; the group has launched a replacement, pending
    const abandoned = at(sw, t0 + 57, "abandoned", () => {
      expect(completions(sw, t0)).toEqual([`${a(4)} ABANDON by CompleteLifecycleAction at 55`]);
      expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "InService", [a(4)]: "Terminating", [a(5)]: "Pending" });
    });
    const r = await sw.deploy(v2!);
    await mid.done;
    await abandoned.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.commands).toEqual([[a(1)], [a(2)], [a(3)]]);
    await sw.world.within(async () => {
      const launch = await registry().getDeployment(launchId);
      expect(launch).toMatchObject({ status: "Failed", creator: "autoscaling", errorName: "Deploy.HealthConstraints" });
      expect(revisionKey(launch)).toBe("orders-v1.zip");
      // no instance launched during v2 is left: no follow-on deployment
      expect(await registry().getDeployment(followUpIdOf("d-SCALEV002"))).toBeUndefined();
      expect(await registry().getLock({ lockKey: "codedeploy:deploymentgroup:scaling-web/web" })).toBeUndefined();
    });
    // the scale-in back to 3 at 60 s terminated the replacement before it was running: it never had a lifecycle action
    expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "InService", [a(4)]: "Terminating", [a(5)]: "Terminating" });
    expect(completions(sw, t0)).toHaveLength(1);
    expect(sw.revisions()).toEqual({ [a(1)]: "d-SCALEV002", [a(2)]: "d-SCALEV002", [a(3)]: "d-SCALEV002", [a(4)]: null, [a(5)]: null });
  });

  it("the guard: v2 succeeds while the launched instance's launch deployment still runs; the follow-on deployment waits for it, never overlapping it", async () => {
    const scenario = loadServerScenario("scale-out-mid-deployment");
    // a later scale-out: the fourth is in Pending:Wait from 50 s and its launch deployment ends at 65 s; v2's last batch ends at 60 s
    scenario.deployments[1]!.timeline = [{ atSeconds: 20, autoScaling: "scaling-asg", desiredCapacity: 4 }];
    const { sw, v2, t0, launchId } = await v1Deployed(scenario);
    const followUpId = followUpIdOf("d-SCALEV002");
    // 62 s: v2's three instances are done, but its success waits: the launch deployment is still running, no follow-on yet
    const waiting = at(sw, t0 + 62, "waiting", async () => {
      expect(lifecycle(sw)).toMatchObject({ [a(4)]: "Pending:Wait" });
      expect(await registry().getDeployment(launchId)).toMatchObject({ status: "InProgress" });
      expect(await registry().getDeployment("d-SCALEV002")).toMatchObject({ status: "InProgress", progress: { instances: { succeeded: 3 } } });
      expect(await registry().getDeployment(followUpId)).toBeUndefined();
    });
    const r = await sw.deploy(v2!);
    await waiting.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.commands).toEqual([[a(1)], [a(2)], [a(3)]]);
    const f = await sw.follow(followUpId);
    expect(f.status, ok(f)).toBe("SUCCEEDED");
    expect(f.commands).toEqual([[a(4)]]);
    await sw.world.within(async () => {
      const launch = await registry().getDeployment(launchId);
      const followUp = await registry().getDeployment(followUpId);
      expect(launch).toMatchObject({ status: "Succeeded" });
      // the follow-on deployment was created after the launch deployment ended: their commands never overlap
      expect(Date.parse(String(followUp?.createTime))).toBeGreaterThanOrEqual(Date.parse(String(launch?.endTime)));
    });
    expect(completions(sw, t0)).toEqual([`${a(4)} CONTINUE by CompleteLifecycleAction at 65`]);
    expect(sw.revisions()).toEqual({ [a(1)]: "d-SCALEV002", [a(2)]: "d-SCALEV002", [a(3)]: "d-SCALEV002", [a(4)]: followUpId });
  });

  it("events/server/scale-in-mid-deployment: an instance terminated mid-install fails (its command times out, the agent being gone) and counts against the minimum healthy hosts", async () => {
    const { sw, v2, t0 } = await v1Deployed(loadServerScenario("scale-in-mid-deployment"));
    // 46 s: the third instance is terminating; its command was delivered and stays InProgress (SSM never hears back)
    const terminated = at(sw, t0 + 46, "terminated", () => {
      expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "Terminating" });
    });
    const r = await sw.deploy(v2!);
    await terminated.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.commands).toEqual([[a(1)], [a(2)], [a(3)]]);
    // the third batch ends at the command's executionTimeout (900 s after it was sent at 40 s)
    expect(r.batches.map((b) => b.endedAtSeconds - t0)).toEqual([20, 40, 940]);
    expect(r.events[a(3)]).toEqual([]);
    await sw.world.within(async () => {
      const v = await registry().getDeployment("d-SCALEV002");
      // OneAtATime: every instance but one healthy; the last one may fail and the deployment still succeeds
      expect(v?.progress?.instances).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
      expect(await registry().getDeployment(followUpIdOf("d-SCALEV002"))).toBeUndefined();
    });
    expect(sw.revisions()).toEqual({ [a(1)]: "d-SCALEV002", [a(2)]: "d-SCALEV002", [a(3)]: "d-SCALEV001" });
  });
});

describe("deploy-server termination deployments (events/server/scale-in-termination-hook)", { timeout: 240_000 }, () => {
  it("a scaled-in instance waits in Terminating:Wait, is drained and stopped with its own revision's scripts, then CONTINUE terminates it", async () => {
    const scenario = loadServerScenario("scale-in-termination-hook");
    w = await openServerWorld(scenario);
    const sw = w;
    const [v1, v2] = scenario.deployments;
    const first = await sw.deploy(v1!);
    expect(first.status, ok(first)).toBe("SUCCEEDED");
    // v1's Start put both hooks of the deployment group
    expect([...(autoScalingWorldOf(sw.world.account).groups.get("scaling-asg")?.hooks.values() ?? [])].map((h) => `${h.name} ${h.transition} ${h.defaultResult}`)).toEqual([
      `stepdeploy-launch-${GROUP_ID} autoscaling:EC2_INSTANCE_LAUNCHING ABANDON`,
      `stepdeploy-terminate-${GROUP_ID} autoscaling:EC2_INSTANCE_TERMINATING CONTINUE`,
    ]);
    const t0 = sw.world.clock.elapsedSeconds();
    const id = terminationDeploymentIdOf(GROUP_ID, a(3));
    // 6 s: the newest instance waits in Terminating:Wait, still running; its termination deployment runs beside v2
    const waiting = at(sw, t0 + 6, "waiting", async () => {
      expect(lifecycle(sw)).toEqual({ [a(1)]: "InService", [a(2)]: "InService", [a(3)]: "Terminating:Wait" });
      expect(ec2State(sw, a(3))).toBe("running");
      const t = await registry().getDeployment(id);
      expect(t).toMatchObject({ creator: "autoscalingTermination", lockKey: `codedeploy:deploymentgroup:scaling-web/web/launch/${a(3)}` });
    });
    // 25 s: still held while it drains (deregistered at 20 s, the target group's 10 s delay); the action not completed yet
    const draining = at(sw, t0 + 25, "draining", async () => {
      expect(lifecycle(sw)).toMatchObject({ [a(3)]: "Terminating:Wait" });
      expect(autoScalingWorldOf(sw.world.account).completions.filter((c) => c.transition === "autoscaling:EC2_INSTANCE_TERMINATING")).toEqual([]);
      expect(await registry().getDeployment(id)).toMatchObject({ status: "InProgress" });
    });
    const r = await sw.deploy(v2!);
    await waiting.done;
    await draining.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.commands).toEqual([[a(1)], [a(2)]]);
    const t = await sw.follow(id);
    expect(t.status, ok(t)).toBe("SUCCEEDED");
    // the instance's v1 scripts, in CodeDeploy's order, BlockTraffic between them; nothing downloaded or installed
    expect(t.commands).toEqual([[a(3)], [a(3)]]);
    expect(t.events[a(3)]).toEqual(["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded", "ApplicationStop:Succeeded"]);
    expect(t.batches[0]?.traffic.map((s) => `${s.state} at ${s.atSeconds - t0}: ${Object.entries(s.targets["scaling-web-tg"] ?? {}).map(([i, v]) => `${i.slice(-1)} ${v}`).join(", ")}`)).toEqual(["BlockTraffic at 20: 1 healthy, 2 healthy, 3 draining", "CheckTraffic at 30: 1 healthy, 2 healthy"]);
    // then CONTINUE: Auto Scaling lets it terminate
    const done = autoScalingWorldOf(sw.world.account).completions.filter((c) => c.transition === "autoscaling:EC2_INSTANCE_TERMINATING");
    const startMs = sw.world.clock.now() - sw.world.clock.elapsedSeconds() * 1000;
    expect(done.map((c) => `${c.instanceId} ${c.result} by ${c.by} at ${(c.atMs - startMs) / 1000 - t0}`)).toEqual([`${a(3)} CONTINUE by CompleteLifecycleAction at 45`]);
    expect([ec2State(sw, a(3)), lifecycle(sw)[a(3)]]).toEqual(["shutting-down", "Terminating"]);
    await sw.world.within(async () => {
      const td = await registry().getDeployment(id);
      expect(td).toMatchObject({ status: "Succeeded", creator: "autoscalingTermination" });
      // a termination deployment is not the group's last successful one
      expect((await registry().getLastSuccessful({ application: "scaling-web", deploymentGroup: "web" }))?.deploymentId).toBe("d-DRAINV002");
      // and installs nothing: the instance's record is still what v1 left
      expect((await registry().instanceHealth({ application: "scaling-web", deploymentGroup: "web" })).get(a(3))).toMatchObject({ deploymentId: "d-DRAINV001", health: "Healthy" });
    });
    expect(sw.revisions()).toMatchObject({ [a(1)]: "d-DRAINV002", [a(2)]: "d-DRAINV002", [a(3)]: "d-DRAINV001" });
  });
});

describe("a termination deployment that fails", { timeout: 240_000 }, () => {
  it("v1's ApplicationStop fails on the scaled-in instance: the deployment is FAILED, and the action is still completed CONTINUE (it terminates anyway)", async () => {
    const scenario = loadServerScenario("scale-in-termination-hook");
    scenario.account.ec2 = { launchTemplates: [{ name: "scaling-web", behaviour: { fail: { event: "ApplicationStop", bundleKey: "orders-lb.zip", exitCode: 3 } } }] };
    w = await openServerWorld(scenario);
    const sw = w;
    const [v1, v2] = scenario.deployments;
    expect((await sw.deploy(v1!)).status).toBe("SUCCEEDED");
    const r = await sw.deploy(v2!);
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    const t = await sw.follow(terminationDeploymentIdOf(GROUP_ID, a(3)));
    expect(t.status).toBe("FAILED");
    expect(t.events[a(3)]?.slice(0, 3)).toEqual(["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded"]);
    expect(t.events[a(3)]?.[3]).toMatch(/^ApplicationStop:Failed/);
    const done = autoScalingWorldOf(sw.world.account).completions.filter((c) => c.transition === "autoscaling:EC2_INSTANCE_TERMINATING");
    expect(done.map((c) => `${c.instanceId} ${c.result} by ${c.by}`)).toEqual([`${a(3)} CONTINUE by CompleteLifecycleAction`]);
    expect(ec2State(sw, a(3))).toBe("shutting-down");
  });
});
