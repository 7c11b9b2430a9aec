import { afterEach, describe, expect, it } from "vitest";
import { memoryIO } from "../../cli/io.js";
import { main } from "../../cli/main.js";
import { serverLockKey } from "../../functions/domain/fleet/run.js";
import { registry } from "../../functions/wiring.js";
import { loadServerScenario, openServerWorld, type ServerRunReport, type ServerWorld } from "../../local/simulate/server.js";
import { ssmWorldOf } from "../../local/account/ssm/index.js";

/**
 * deploy-server in the shared engine (events/server: failure-rollback, alarm-mid-deployment, stop), on the real
 * ASL: the registry record and the group's lock, CodeDeploy-shaped events with instance counts, alarms and stop
 * before each batch, and CodeDeploy's rollback as a new deployment linked both ways. Checked after each deployment
 * and, through timeline actions, while one runs.
 */
let w: ServerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const LOCK = { lockKey: serverLockKey("orders", "prod") };
const id = (n: number) => `i-0b00000000000000${n}`;
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;
const events = (sw: ServerWorld) => sw.world.account.events.map((e) => e.detail as { deploymentId: string; state: string; rollback: boolean; instances: Record<string, number>; error?: string });
const states = (sw: ServerWorld) => events(sw).map((e) => `${e.deploymentId}:${e.state}`);
const inWorld = <T>(fn: () => Promise<T>) => w!.world.within(fn);
/** Runs `fn` `seconds` after now (simulated), while the next deployment runs. */
function later(sw: ServerWorld, seconds: number, name: string, fn: () => Promise<void>): { done: Promise<void> } {
  let settle: (e?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  sw.world.account.onAction(name, async () => fn().then(() => settle(), settle));
  sw.world.account.applyTimeline([{ atSeconds: sw.world.clock.elapsedSeconds() + seconds, action: name }]);
  return { done };
}

/** `stepdeploy <args>`: its output (status exits 1 for a Failed or Stopped deployment, as documented). */
async function cli(args: string[], exit = 0): Promise<string> {
  const io = memoryIO(process.env);
  expect(await main(args, io), io.stderr).toBe(exit);
  return io.stdout;
}

/** The first deployment (v1 everywhere): record, last successful revision, lock free, START and SUCCESS with counts. */
async function baseline(sw: ServerWorld, deploymentId: string, n: number) {
  const r = await sw.deploy(loadedScenario!.deployments[0]!);
  expect(r.status, ok(r)).toBe("SUCCEEDED");
  await inWorld(async () => {
    expect(await registry().getDeployment(deploymentId)).toMatchObject({ status: "Succeeded", platform: "Server", creator: "user", progress: { weight: 100, instances: { total: n, succeeded: n, failed: 0, pending: 0, skipped: 0 } } });
    expect(await registry().getLastSuccessful({ application: "orders", deploymentGroup: "prod" })).toMatchObject({ deploymentId, target: { revision: { key: "orders-v1.zip" } } });
    expect(await registry().getLock(LOCK)).toBeUndefined();
  });
  expect(events(sw).at(-1)).toMatchObject({ deploymentId, state: "SUCCESS", instances: { total: n, succeeded: n } });
}
let loadedScenario: ReturnType<typeof loadServerScenario> | undefined;

/** The stop scenario's first deployment, one instance at a time, with a timeline action (stop, abort) 5 s in. */
async function firstDeploymentWith(action: string): Promise<{ w: ServerWorld; report: ServerRunReport }> {
  loadedScenario = loadServerScenario("stop");
  w = await openServerWorld(loadedScenario);
  w.world.account.applyTimeline([{ atSeconds: 5, action, input: { deploymentId: "d-STBASE001" } }]);
  const d = loadedScenario.deployments[0]!;
  return { w, report: await w.deploy({ ...d, input: { ...d.input, deploymentConfig: "CodeDeployDefault.OneAtATime" } }) };
}

describe("deploy-server with the registry, lock, events, alarms, stop and rollback", { timeout: 240_000 }, () => {
  it("failure-rollback: HEALTH_CONSTRAINTS, a second deployment refused while the first holds the lock, then a NEW deployment of v1 to the instances that got v2", async () => {
    loadedScenario = loadServerScenario("failure-rollback");
    w = await openServerWorld(loadedScenario);
    const sw = w;
    await baseline(sw, "d-RBBASE001", 3);
    // While d-RBFAIL002 runs: InProgress, holding the group's lock; a second deployment of the group is refused.
    let refused: Promise<unknown> | undefined;
    const look = later(sw, 5, "look", async () => {
      const reg = registry();
      expect(await reg.getDeployment("d-RBFAIL002")).toMatchObject({ status: "InProgress", lockKey: LOCK.lockKey, target: { revision: { key: "orders-v2.zip" }, instances: 3 } });
      expect((await reg.getLock(LOCK))?.holderDeploymentId).toBe("d-RBFAIL002");
      const revision = ((await reg.requireDeployment("d-RBFAIL002")).target as { revision: Record<string, string> }).revision;
      const busy = await sw.world.startDeployment({ ...loadedScenario!.deployments[1]!.input, deploymentId: "d-RBBUSY003", revision }, "deploy-server");
      refused = busy.finished;
    });
    const failed = await sw.deploy(loadedScenario.deployments[1]!);
    await look.done;
    expect((await refused) as { status: string; error: string }).toMatchObject({ status: "FAILED", error: "Deploy.ConflictingDeployment" });
    expect([failed.status, failed.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(failed.commands).toEqual([[id(1)], [id(2)]]);
    expect(failed.events[id(2)]?.at(-1)).toBe("ValidateService:Failed:ScriptFailed");
    const rollbackId = await inWorld(async () => {
      const reg = registry();
      expect(await reg.getDeployment("d-RBBUSY003")).toMatchObject({ status: "Failed", errorName: "Deploy.ConflictingDeployment" });
      const record = await reg.getDeployment("d-RBFAIL002");
      expect(record).toMatchObject({ status: "Failed", errorName: "Deploy.HealthConstraints", progress: { instances: { total: 3, succeeded: 1, failed: 1, pending: 0, skipped: 1 } } });
      expect(record?.rollbackInfo?.rollbackMessage).toMatch(/^rolling back: d-[A-Z0-9]{9} redeploys the revision of d-RBBASE001 to 2 instances$/);
      const rid = record?.rollbackInfo?.rollbackDeploymentId as string;
      expect(rid).toMatch(/^d-[A-Z0-9]{9}$/);
      expect(await reg.getDeployment(rid)).toMatchObject({ creator: "codeDeployRollback", rollbackInfo: { rollbackTriggeringDeploymentId: "d-RBFAIL002" }, lockKey: LOCK.lockKey });
      return rid;
    });
    expect(events(sw).filter((e) => e.deploymentId === "d-RBFAIL002")).toMatchObject([
      { state: "START", instances: { total: 3, succeeded: 0, failed: 0, pending: 3 } },
      { state: "FAILURE", rollback: true, error: "Deploy.HealthConstraints", instances: { total: 3, succeeded: 1, failed: 1, skipped: 1 } },
    ]);
    // The rollback: v1 to the two instances that got v2, one at a time (the failed deployment's config); the third kept v1.
    // The one whose install failed goes first: it is unhealthy (codedeploy-spec §2.4).
    const rolled = await sw.follow(rollbackId);
    expect(rolled.status, ok(rolled)).toBe("SUCCEEDED");
    expect(rolled.commands).toEqual([[id(2)], [id(1)]]);
    expect(rolled.events[id(1)]?.[0]).toBe("ApplicationStop:Succeeded");
    expect(sw.revisions()).toEqual({ [id(1)]: rollbackId, [id(2)]: rollbackId, [id(3)]: "d-RBBASE001" });
    expect(states(sw)).toEqual(["d-RBBASE001:START", "d-RBBASE001:SUCCESS", "d-RBFAIL002:START", "d-RBFAIL002:FAILURE", `${rollbackId}:START`, `${rollbackId}:SUCCESS`]);
    await inWorld(async () => {
      expect(await registry().getDeployment(rollbackId)).toMatchObject({ status: "Succeeded", progress: { instances: { total: 2, succeeded: 2 } } });
      expect(await registry().getLastSuccessful({ application: "orders", deploymentGroup: "prod" })).toMatchObject({ deploymentId: rollbackId, target: { revision: { key: "orders-v1.zip" } } });
      expect(await registry().getLock(LOCK)).toBeUndefined();
      // The operator's views show both links and the instance counts.
      const status = await cli(["status", "d-RBFAIL002"], 1);
      expect(status).toContain("instances: 3 total, 1 succeeded, 1 failed, 0 pending, 1 skipped");
      expect(status).toContain(`rolled back by ${rollbackId}`);
      expect(await cli(["status", rollbackId])).toContain("rollback of d-RBFAIL002");
      const history = await cli(["history", "--group", "orders/prod"]);
      expect(history).toContain(`d-RBFAIL002  Failed`);
      expect(history).toContain(`rolled back by ${rollbackId}`);
    });
  });

  it("failure-rollback when the rollback's execution cannot be started: its record is closed Failed (Deploy.RollbackFailed), the group's lock released, FAILURE emitted for it", async () => {
    loadedScenario = loadServerScenario("failure-rollback");
    w = await openServerWorld(loadedScenario);
    const sw = w;
    await baseline(sw, "d-RBBASE001", 3);
    // Once the second (last) batch execution has started, every StartExecution fails: StartRollback's retries too.
    const broken = later(sw, 20, "break-sfn", async () => {
      expect(sw.world.account.sfn.executions.filter((e) => e.name.startsWith("d-RBFAIL002-batch-")).map((e) => e.name)).toHaveLength(2);
      sw.world.account.addFault({ operation: "SFN.StartExecution", kind: "5xx" });
    });
    const failed = await sw.deploy(loadedScenario.deployments[1]!);
    await broken.done;
    expect([failed.status, failed.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(failed.commands).toEqual([[id(1)], [id(2)]]);
    const rollbackId = await inWorld(async () => {
      const reg = registry();
      const record = await reg.getDeployment("d-RBFAIL002");
      expect(record).toMatchObject({ status: "Failed", errorName: "Deploy.HealthConstraints" });
      const rid = record?.rollbackInfo?.rollbackDeploymentId as string;
      const rollback = await reg.getDeployment(rid);
      expect(rollback).toMatchObject({ status: "Failed", errorName: "Deploy.RollbackFailed", creator: "codeDeployRollback", rollbackInfo: { rollbackTriggeringDeploymentId: "d-RBFAIL002" } });
      expect(JSON.stringify(rollback)).toContain("the rollback execution could not be started");
      expect(await reg.getLock(LOCK)).toBeUndefined();
      return rid;
    });
    expect(sw.world.account.sfn.executions.map((e) => e.name)).not.toContain(rollbackId);
    expect(sw.world.account.callCounts()["SFN.StartExecution"]).toBeGreaterThan(3);
    expect(states(sw)).toEqual(["d-RBBASE001:START", "d-RBBASE001:SUCCESS", "d-RBFAIL002:START", "d-RBFAIL002:FAILURE", `${rollbackId}:FAILURE`]);
    expect(events(sw).at(-1)).toMatchObject({ deploymentId: rollbackId, state: "FAILURE", error: "Deploy.RollbackFailed", rollback: false, instances: { total: 2, succeeded: 0, skipped: 2 } });
    expect(sw.revisions()).toEqual({ [id(1)]: "d-RBFAIL002", [id(2)]: "d-RBBASE001", [id(3)]: "d-RBBASE001" });
  });

  it("alarm-mid-deployment: the alarm fires during the first batch; it ends, no other batch goes out (STOP), and v1 goes back to that instance", async () => {
    loadedScenario = loadServerScenario("alarm-mid-deployment");
    w = await openServerWorld(loadedScenario);
    const sw = w;
    await baseline(sw, "d-ALBASE001", 3);
    sw.world.account.applyTimeline([{ atSeconds: sw.world.clock.elapsedSeconds() + 5, alarm: "orders-5xx", state: "ALARM", reason: "Threshold Crossed" }]);
    const stopped = await sw.deploy(loadedScenario.deployments[1]!);
    expect([stopped.status, stopped.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
    expect(stopped.commands).toEqual([[id(1)]]);
    const last = events(sw).find((e) => e.deploymentId === "d-ALFIRE002" && e.state !== "START");
    expect(last).toMatchObject({ deploymentId: "d-ALFIRE002", state: "STOP", rollback: true, instances: { succeeded: 1, skipped: 2 } });
    const rollbackId = await inWorld(async () => {
      const record = await registry().getDeployment("d-ALFIRE002");
      expect(record).toMatchObject({ status: "Stopped", errorName: "Deploy.AlarmTriggered" });
      return record?.rollbackInfo?.rollbackDeploymentId as string;
    });
    const rolled = await sw.follow(rollbackId);
    expect(rolled.status, ok(rolled)).toBe("SUCCEEDED");
    expect(rolled.commands).toEqual([[id(1)]]);
    expect(sw.revisions()).toEqual({ [id(1)]: rollbackId, [id(2)]: "d-ALBASE001", [id(3)]: "d-ALBASE001" });
    await inWorld(async () => expect(await registry().getLock(LOCK)).toBeUndefined());
  });

  it("stop: `stepdeploy stop` during the first batch cancels its command at the next poll, sends no other batch, and rolls that instance back", async () => {
    loadedScenario = loadServerScenario("stop");
    w = await openServerWorld(loadedScenario);
    const sw = w;
    await baseline(sw, "d-STBASE001", 3);
    sw.world.account.applyTimeline([{ atSeconds: sw.world.clock.elapsedSeconds() + 5, action: "stop", input: { deploymentId: "d-STSTOP002" } }]);
    const stopped = await sw.deploy(loadedScenario.deployments[1]!);
    expect([stopped.status, stopped.error]).toEqual(["FAILED", "Deploy.Stopped"]);
    expect(stopped.commands).toEqual([[id(1)]]);
    // Seen at the batch's first poll (15 s; the install needs about 70): its command cancelled, no lifecycle event ended.
    expect(stopped.stats.simulatedSeconds).toBe(15);
    expect(stopped.cause).toBe("stopped by scenario during its batch (1 command(s) cancelled)");
    expect(stopped.events[id(1)]).toEqual([]);
    const ssm = ssmWorldOf(sw.world.account);
    const [command] = [...ssm.commands.values()].filter((c) => c.comment.includes("d-STSTOP002"));
    expect(ssm.invocation(command!.commandId, id(1)).status).toBe("Cancelled");
    const rollbackId = await inWorld(async () => {
      const record = await registry().getDeployment("d-STSTOP002");
      expect(record).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped", control: { stopRequested: { requestedBy: "scenario", rollback: true } } });
      return record?.rollbackInfo?.rollbackDeploymentId as string;
    });
    expect(events(sw).find((e) => e.deploymentId === "d-STSTOP002" && e.state !== "START")).toMatchObject({ deploymentId: "d-STSTOP002", state: "STOP", rollback: true });
    const rolled = await sw.follow(rollbackId);
    expect(rolled.status, ok(rolled)).toBe("SUCCEEDED");
    expect(sw.revisions()).toEqual({ [id(1)]: rollbackId, [id(2)]: "d-STBASE001", [id(3)]: "d-STBASE001" });
  });

  it.each([
    ["stop-no-rollback", "Deploy.StoppedWithoutRollback", "not rolled back: stopped without rollback"],
    ["stop", "Deploy.Stopped", "not rolled back: the group has no successful deployment to roll back to (its first deployment); the instances keep what they got"],
  ])("the group's first deployment, %s: no rollback deployment, the message says why, the lock is free", async (action, error, message) => {
    const sw = await firstDeploymentWith(action);
    expect([sw.report.status, sw.report.error]).toEqual(["FAILED", error]);
    await inWorld(async () => {
      expect(await registry().getDeployment("d-STBASE001")).toMatchObject({ status: "Stopped", errorName: error, rollbackInfo: { rollbackMessage: message } });
      expect(await registry().getLock(LOCK)).toBeUndefined();
    });
    expect(states(sw.w)).toEqual(["d-STBASE001:START", "d-STBASE001:STOP"]);
    expect(sw.w.world.account.sfn.executions.map((e) => e.name).filter((n) => !n.includes("-batch-"))).toEqual(["d-STBASE001"]);
  });

  it("an aborted execution: the janitor records it Stopped, releases the group's lock and emits STOP", async () => {
    const { w: sw, report: aborted } = await firstDeploymentWith("abort");
    expect(aborted.status).toBe("ABORTED");
    await inWorld(async () => {
      expect(await registry().getDeployment("d-STBASE001")).toMatchObject({ status: "Stopped", errorName: "Deploy.ExecutionAborted" });
      expect(await registry().getLock(LOCK)).toBeUndefined();
    });
    expect(events(sw).at(-1)).toMatchObject({ deploymentId: "d-STBASE001", state: "STOP", error: "Deploy.ExecutionAborted" });
  });
});
