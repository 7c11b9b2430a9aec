import { afterEach, describe, expect, it } from "vitest";
import { registry } from "../../functions/wiring.js";
import { autoScalingWorldOf } from "../../local/account/autoscaling/index.js";
import { ssmWorldOf } from "../../local/account/ssm/index.js";
import { ec2WorldOf } from "../../local/account/ec2/index.js";
import { loadServerScenario, openServerWorld, type ServerRunReport, type ServerWorld, type TargetsView } from "../../local/simulate/server.js";

/**
 * EC2 blue/green on the local engine (events/server/blue-green-*), on the real ASL and the simulated EC2, Auto Scaling,
 * SSM and ELBv2: the replacement fleet's install batches, AllowTraffic on it, BlockTraffic on the originals, the
 * termination wait, and the rollback; the target group, the instances and the groups checked after each step.
 */
let w: ServerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const b = (k: number) => `i-0b0000000000000b${k}`;
const g = (k: number) => `i-0c0000000000000c${k}`;
const a = (k: number) => `i-0a5${k.toString(16).padStart(14, "0")}`;
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;
const INSTALL = ["ApplicationStop:Skipped", "DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"];
const ALLOW = ["BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded"];
const BLOCK = ["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded"];
const view = (targets: TargetsView) =>
  Object.entries(targets["orders-web"] ?? {})
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, s]) => `${id}:${s}`)
    .join(" ");
const ec2States = (sw: ServerWorld) => Object.fromEntries(ec2WorldOf(sw.world.account).instances.map((i) => [i.id, ec2WorldOf(sw.world.account).stateOf(i)]));
const events = (sw: ServerWorld) => sw.world.account.events.map((e) => e.detail as { deploymentId: string; state: string; rollback: boolean; instances: Record<string, number>; error?: string });

/** The COPY_AUTO_SCALING_GROUP scenario opened: its world, the simulated Auto Scaling and the copy's name. */
async function openCopyAsg() {
  const scenario = loadServerScenario("blue-green-copy-asg");
  w = await openServerWorld(scenario);
  return { scenario, sw: w, asg: autoScalingWorldOf(w.world.account), green: "CodeDeploy_prod_d-BGCOPYAS1" };
}

/** Runs `fn` `seconds` after now (simulated), while the deployment runs. */
function later(sw: ServerWorld, seconds: number, name: string, fn: () => Promise<void> | void): { done: Promise<void> } {
  let settle: (e?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  sw.world.account.onAction(name, async () => Promise.resolve(fn()).then(() => settle(), settle));
  sw.world.account.applyTimeline([{ atSeconds: sw.world.clock.elapsedSeconds() + seconds, action: name }]);
  return { done };
}

describe("deploy-server blue/green on the local engine (events/server/blue-green-*)", { timeout: 240_000 }, () => {
  it("DISCOVER_EXISTING + KEEP_ALIVE: green installs one at a time, is registered and healthy, then the originals drain out and stay running", async () => {
    const scenario = loadServerScenario("blue-green-discover-keep-alive");
    w = await openServerWorld(scenario);
    const r = await w.deploy(scenario.deployments[0]!);
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    // install batches on green (OneAtATime), then AllowTraffic on both green, then BlockTraffic on both originals
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)]]);
    expect(r.commands).toEqual([[g(1)], [g(2)], [g(1), g(2)], [g(1), g(2)], [b(1), b(2)], [b(1), b(2)]]);
    for (const k of [1, 2]) expect(r.events[g(k)], g(k)).toEqual([...INSTALL, ...ALLOW]);
    for (const k of [1, 2]) expect(r.events[b(k)]?.map((e) => e.split(":").slice(0, 2).join(":")), b(k)).toEqual(BLOCK);
    // after each step: the install batches leave the target group alone; AllowTraffic adds green beside the originals; BlockTraffic drains the originals
    const [first, second, allow, block] = r.batches;
    for (const x of [first, second]) expect(view(x?.targets ?? {})).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(allow?.traffic.map((t) => `${t.state} ${view(t.targets)}`)).toEqual([`AllowTraffic ${b(1)}:healthy ${b(2)}:healthy ${g(1)}:initial ${g(2)}:initial`, `CheckTraffic ${b(1)}:healthy ${b(2)}:healthy ${g(1)}:healthy ${g(2)}:healthy`]);
    expect(block?.traffic.map((t) => `${t.state} ${view(t.targets)}`)).toEqual([`BlockTraffic ${b(1)}:draining ${b(2)}:draining ${g(1)}:healthy ${g(2)}:healthy`, `CheckTraffic ${g(1)}:healthy ${g(2)}:healthy`]);
    expect(view(block?.targets ?? {})).toBe(`${g(1)}:healthy ${g(2)}:healthy`);
    // KEEP_ALIVE: nothing terminated; green has the revision
    expect(ec2States(w)).toEqual({ [b(1)]: "running", [b(2)]: "running", [g(1)]: "running", [g(2)]: "running" });
    expect(w.revisions()).toEqual({ [b(1)]: "d-PREVIOUS1", [b(2)]: "d-PREVIOUS1", [g(1)]: "d-BGKEEPAL1", [g(2)]: "d-BGKEEPAL1" });
    expect(events(w).map((e) => `${e.state} ${JSON.stringify(e.instances)}`)).toEqual([
      'START {"total":2,"succeeded":0,"failed":0,"pending":2,"skipped":0}',
      'SUCCESS {"total":2,"succeeded":2,"failed":0,"pending":0,"skipped":0}',
    ]);
    await w.world.within(async () => expect(await registry().getDeployment("d-BGKEEPAL1")).toMatchObject({ status: "Succeeded", platform: "Server" }));
  });

  it("COPY_AUTO_SCALING_GROUP + TERMINATE: the copy's instances are InService, installed, rerouted to; after the termination wait the original group is deleted", async () => {
    const { scenario, sw, asg, green } = await openCopyAsg();
    // 10 s in: the copy exists with 2 Pending instances, the originals serve
    const pending = later(sw, 10, "pending", () => {
      expect(asg.describe([green]).map((x) => x.instances.map((id) => asg.stateOf(id)))).toEqual([["Pending", "Pending"]]);
      expect(asg.describe(["orders-asg"])[0]?.instances).toEqual([a(1), a(2)]);
    });
    const r = await sw.deploy(scenario.deployments[0]!);
    await pending.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.batches.map((x) => x.instances)).toEqual([[a(3)], [a(4)], [a(3), a(4)], [a(1), a(2)]]);
    for (const k of [3, 4]) expect(r.events[a(k)], a(k)).toEqual([...INSTALL, ...ALLOW]);
    const block = r.batches[3];
    expect(view(block?.targets ?? {})).toBe(`${a(3)}:healthy ${a(4)}:healthy`);
    // the termination wait (5 minutes) came after the last batch; then the original group was deleted with its instances
    expect(r.stats.simulatedSeconds - (block?.endedAtSeconds ?? 0)).toBeGreaterThanOrEqual(300);
    expect(asg.describe([])).toMatchObject([{ name: green, deleting: false }, { name: "orders-asg", deleting: true }]);
    sw.world.clock.advance(30);
    expect(asg.describe([]).map((x) => x.name)).toEqual([green]);
    expect(ec2States(sw)).toEqual({ [a(1)]: "terminated", [a(2)]: "terminated", [a(3)]: "running", [a(4)]: "running" });
  });

  it("COPY_AUTO_SCALING_GROUP, a stop in the termination wait: the original group's instances restored, the copy's blocked and drained, only then the copy deleted", async () => {
    const { scenario, sw, asg, green } = await openCopyAsg();
    sw.world.account.applyTimeline([{ atSeconds: 300, action: "stop", input: { deploymentId: "d-BGCOPYAS1" } }]);
    const r = await sw.deploy(scenario.deployments[0]!);
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.Stopped"]);
    expect(r.batches.map((x) => x.instances)).toEqual([[a(3)], [a(4)], [a(3), a(4)], [a(1), a(2)], [a(1), a(2)], [a(3), a(4)]]);
    const [restore, block] = [r.batches[4]!, r.batches[5]!];
    expect(view(restore.targets)).toBe(`${a(1)}:healthy ${a(2)}:healthy ${a(3)}:healthy ${a(4)}:healthy`);
    expect(view(block.targets)).toBe(`${a(1)}:healthy ${a(2)}:healthy`);
    // the copy is deleted after its instances left the target group, not while they served
    expect(asg.describe([]).map((x) => [x.name, x.deleting])).toEqual([[green, true], ["orders-asg", false]]);
    expect(events(sw).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
    await sw.world.within(async () => {
      const record = await registry().getDeployment("d-BGCOPYAS1");
      expect(record?.rollbackInfo?.rollbackMessage).toBe(`rolled back: the 2 original instance(s) through AllowTraffic; the 2 replacement instance(s) through BlockTraffic; the replacement group ${green} deleted`);
    });
  });

  it("the janitor of an execution aborted during the termination wait: the originals registered again, green out, the copy deleted", async () => {
    const { scenario, sw, asg, green } = await openCopyAsg();
    // the reroute ends at 160 s (originals drained out), the 5-minute termination wait at 460 s: abort at 300 s
    sw.world.account.applyTimeline([{ atSeconds: 300, action: "abort", input: { deploymentId: "d-BGCOPYAS1" } }]);
    const r = await sw.deploy(scenario.deployments[0]!);
    expect(r.status).toBe("ABORTED");
    expect(view(r.batches[3]?.targets ?? {})).toBe(`${a(3)}:healthy ${a(4)}:healthy`);
    await sw.world.account.settled();
    const elb = (await import("../../local/account/elbv2/index.js")).elbv2WorldOf(sw.world.account);
    const tgArn = [...elb.targetGroups.values()][0]!.arn;
    const at = (t: number) => elb.health(tgArn, t).map(({ target, health }) => `${target.id}:${health.state}`).sort().join(" ");
    const now = sw.world.clock.elapsedSeconds();
    expect(at(now)).toBe(`${a(1)}:initial ${a(2)}:initial ${a(3)}:draining ${a(4)}:draining`);
    expect(at(now + 30)).toBe(`${a(1)}:healthy ${a(2)}:healthy`);
    expect(asg.describe([]).map((x) => [x.name, x.deleting])).toEqual([[green, true], ["orders-asg", false]]);
    sw.world.clock.advance(30);
    expect(ec2States(sw)).toEqual({ [a(1)]: "running", [a(2)]: "running", [a(3)]: "terminated", [a(4)]: "terminated" });
    expect(events(sw).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
    await sw.world.within(async () => {
      const record = await registry().getDeployment("d-BGCOPYAS1");
      expect(record?.status).toBe("Stopped");
      expect(record?.rollbackInfo?.rollbackMessage).toContain("traffic restored to the original instances by the janitor");
    });
  });

  it("a stop during the termination wait rolls back through the hooks: the originals restored and healthy before green drains out, nothing terminated", async () => {
    const scenario = loadServerScenario("blue-green-rollback-termination-wait");
    w = await openServerWorld(scenario);
    const sw = w;
    const during = later(sw, 600, "during", () => expect(events(sw).map((e) => e.state)).toEqual(["START"]));
    sw.world.account.applyTimeline([{ atSeconds: 900, action: "stop", input: { deploymentId: "d-BGROLLBK1" } }]);
    const r = await sw.deploy(scenario.deployments[0]!);
    await during.done;
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.Stopped"]);
    // The rollback re-routes through batch children: the originals' restore (their own revision's allow hooks), then green's block.
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)], [b(1), b(2)], [g(1), g(2)]]);
    expect(view(r.batches[3]?.targets ?? {})).toBe(`${g(1)}:healthy ${g(2)}:healthy`);
    const [restore, block] = [r.batches[4]!, r.batches[5]!];
    expect(restore.traffic.map((t) => `${t.state}@${t.atSeconds} ${view(t.targets)}`)).toEqual([
      `AllowTraffic@910 ${b(1)}:initial ${b(2)}:initial ${g(1)}:healthy ${g(2)}:healthy`,
      `CheckTraffic@930 ${b(1)}:healthy ${b(2)}:healthy ${g(1)}:healthy ${g(2)}:healthy`,
    ]);
    expect(block.traffic.map((t) => `${t.state}@${t.atSeconds} ${view(t.targets)}`)).toEqual([
      `BlockTraffic@950 ${b(1)}:healthy ${b(2)}:healthy ${g(1)}:draining ${g(2)}:draining`,
      `CheckTraffic@980 ${b(1)}:healthy ${b(2)}:healthy`,
    ]);
    expect(r.events[b(1)]).toEqual(["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded", "BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded"]);
    expect(r.events[g(1)]?.slice(-6)).toEqual(["BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded", "BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded"]);
    // The originals' allow hooks come from the revision on them (d-PREVIOUS1), not from the one rolled back.
    const restoreOutput = [...ssmWorldOf(sw.world.account).commands.values()].filter((c) => /^# stepdeploy \S+: BeforeAllowTraffic$/m.test(c.script) && c.instanceIds.includes(b(1)));
    expect(restoreOutput.map((c) => /^sd_previous BeforeAllowTraffic$/m.test(c.script))).toEqual([true]);
    expect(r.stats.simulatedSeconds).toBe(990);
    expect(ec2States(sw)).toEqual({ [b(1)]: "running", [b(2)]: "running", [g(1)]: "running", [g(2)]: "running" });
    expect(events(sw).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
    await sw.world.within(async () => {
      const record = await registry().getDeployment("d-BGROLLBK1");
      expect(record).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped" });
      expect(record?.rollbackInfo?.rollbackMessage).toBe("rolled back: the 2 original instance(s) through AllowTraffic; the 2 replacement instance(s) through BlockTraffic; the replacement instances left running");
    });
  });

  it("the rollback's BeforeAllowTraffic fails on an original: green keeps serving, the deployment ends FAILED as Deploy.RollbackFailed naming it", async () => {
    const scenario = loadServerScenario("blue-green-rollback-restore-fails");
    w = await openServerWorld(scenario);
    const sw = w;
    sw.world.account.applyTimeline([{ atSeconds: 900, action: "stop", input: { deploymentId: "d-BGRESTFL1" } }]);
    const r = await sw.deploy(scenario.deployments[0]!);
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.RollbackFailed"]);
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)], [b(1), b(2)]]);
    expect(r.events[b(2)]?.slice(3)).toEqual(["BeforeAllowTraffic:Failed:ScriptFailed"]);
    expect(r.events[b(1)]?.slice(3)).toEqual(["BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded"]);
    // No block batch on green: both fleets' healthy instances serve; the original that failed stays out.
    expect(view(r.batches[4]?.targets ?? {})).toBe(`${b(1)}:healthy ${g(1)}:healthy ${g(2)}:healthy`);
    expect(ec2States(sw)).toEqual({ [b(1)]: "running", [b(2)]: "running", [g(1)]: "running", [g(2)]: "running" });
    expect(events(sw).map((e) => `${e.state} ${e.rollback} ${e.error ?? ""}`)).toEqual(["START false ", "FAILURE false Deploy.RollbackFailed"]);
    await sw.world.within(async () => {
      const record = await registry().getDeployment("d-BGRESTFL1");
      expect(record).toMatchObject({ status: "Failed", errorName: "Deploy.RollbackFailed" });
      expect(record?.rollbackInfo?.rollbackMessage).toBe(
        `rollback failed: 1 original instance(s) failed the rollback's AllowTraffic events: ${b(2)} (BeforeAllowTraffic: Script at specified location: (BeforeAllowTraffic) failed with exit code 3); the 2 replacement instance(s) keep serving`,
      );
      expect(record?.reason ?? "").toContain("(after: stopped on request by scenario)");
    });
  });

  it("a green install failure: the originals never leave the target group, the copied group is deleted with its instances", async () => {
    const scenario = loadServerScenario("blue-green-green-install-fails");
    w = await openServerWorld(scenario);
    const r = await w.deploy(scenario.deployments[0]!);
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(r.batches.map((x) => x.instances)).toEqual([[a(3)]]);
    expect(r.events[a(3)]?.at(-1)).toBe("ValidateService:Failed:ScriptFailed");
    expect(view(r.batches[0]?.targets ?? {})).toBe(`${a(1)}:healthy ${a(2)}:healthy`);
    const asg = autoScalingWorldOf(w.world.account);
    expect(asg.describe([]).map((x) => [x.name, x.deleting])).toEqual([["CodeDeploy_prod_d-BGGRNFAI1", true], ["orders-asg", false]]);
    w.world.clock.advance(30);
    expect(asg.describe([]).map((x) => x.name)).toEqual(["orders-asg"]);
    expect(ec2States(w)).toEqual({ [a(1)]: "running", [a(2)]: "running", [a(3)]: "terminated", [a(4)]: "terminated" });
    expect(events(w).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "FAILURE true"]);
  });

  it("STOP_DEPLOYMENT: traffic waits for `stepdeploy continue`; without one the deployment stops at the ready wait's end with the originals serving", async () => {
    const base = loadServerScenario("blue-green-discover-keep-alive");
    const withReady = (minutes: number) => {
      const d = base.deployments[0]!;
      const blueGreen = { ...(d.input.blueGreen as Record<string, unknown>), deploymentReadyOption: { actionOnTimeout: "STOP_DEPLOYMENT", waitTimeInMinutes: minutes } };
      return { ...d, input: { ...d.input, blueGreen } };
    };
    w = await openServerWorld(base);
    const sw = w;
    sw.world.account.applyTimeline([{ atSeconds: 300, action: "continue", input: { deploymentId: "d-BGKEEPAL1" } }]);
    const waiting = later(sw, 200, "waiting", () => expect(events(sw).map((e) => e.state)).toEqual(["START"]));
    const r = await sw.deploy(withReady(60));
    await waiting.done;
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    const allow = r.batches[2];
    expect(allow?.instances).toEqual([g(1), g(2)]);
    expect(allow?.traffic[0]?.atSeconds).toBeGreaterThanOrEqual(300);
    expect(r.batches[1]?.endedAtSeconds).toBeLessThan(300);
    await w.close();
    w = await openServerWorld(base);
    const expired = await w.deploy(withReady(1));
    expect([expired.status, expired.error]).toEqual(["FAILED", "Deploy.ReadyWaitExpired"]);
    expect(expired.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)]]);
    expect(view(expired.batches[1]?.targets ?? {})).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(events(w).map((e) => e.state)).toEqual(["START", "STOP"]);
  });

  it("an alarm during the termination wait ends it at once (no poll) and rolls back through the hooks, which the firing alarm does not cancel", async () => {
    const base = loadServerScenario("blue-green-rollback-termination-wait");
    const scenario = { ...base, account: { ...base.account, alarms: [{ name: "orders-5xx", state: "OK" }] } } as typeof base;
    w = await openServerWorld(scenario);
    w.world.account.applyTimeline([{ atSeconds: 1200, alarm: "orders-5xx", state: "ALARM", reason: "Threshold Crossed" }]);
    const d = base.deployments[0]!;
    const r = await w.deploy({ ...d, input: { ...d.input, alarms: ["orders-5xx"] } });
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
    // The alarm ends the wait at 1200; the rollback's batches are not watched (the alarm is still firing): they run to their end.
    expect(r.batches[4]?.traffic[0]).toMatchObject({ state: "AllowTraffic", atSeconds: 1210 });
    expect(r.stats.simulatedSeconds).toBe(1290);
    expect(view(r.batches[3]?.targets ?? {})).toBe(`${g(1)}:healthy ${g(2)}:healthy`);
    expect(view(r.batches[5]?.targets ?? {})).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(events(w).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
    expect(ec2States(w)).toEqual({ [b(1)]: "running", [b(2)]: "running", [g(1)]: "running", [g(2)]: "running" });
  });
});
