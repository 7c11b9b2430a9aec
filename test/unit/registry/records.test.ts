import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbRegistryStore } from "../../../functions/adapters/dynamodb-registry.js";
import { type DeploymentRecord, DeploymentRegistry, type DeploymentStatus, type LastSuccessful } from "../../../functions/domain/registry/index.js";
import { type LocalDynamoDb, startDynalite } from "../../support/dynalite.js";
import { failure, freshGroup, freshId, lambdaDeployment, registryOn, steppingClock } from "./helpers.js";

let db: LocalDynamoDb;
let registry: DeploymentRegistry;

beforeAll(async () => {
  db = await startDynalite();
  registry = registryOn(db);
});
afterAll(async () => {
  await db?.close();
});

describe("creating a deployment", () => {
  it("stores a Created record with defaults; the same create again is a no-op", async () => {
    const input = lambdaDeployment(freshGroup(), freshId(), {
      executionArn: "arn:exec",
      overrideAlarms: true,
      description: "fix",
    });
    const first = await registry.createDeployment(input);
    expect(first.changed).toBe(true);
    expect(first.record).toMatchObject({
      status: "Created",
      creator: "user",
      overrideAlarms: true,
      control: { paused: false },
      version: 1,
      executionArn: "arn:exec",
    });
    // Key order in the target does not matter for "the same deployment".
    const again = await registry.createDeployment({
      ...input,
      target: {
        targetVersion: "4",
        currentVersion: "3",
        alias: "live",
        functionName: "orders",
      },
    });
    expect(again).toEqual({ record: first.record, changed: false });
    expect(await registry.getDeployment(input.deploymentId)).toEqual(first.record);
  });

  it("the same id for another group or target is Deploy.DeploymentAlreadyExists", async () => {
    const input = lambdaDeployment(freshGroup());
    await registry.createDeployment(input);
    expect(await failure(registry.createDeployment({ ...input, deploymentGroup: "elsewhere" }))).toMatchObject({ name: "Deploy.DeploymentAlreadyExists" });
    expect(
      await failure(
        registry.createDeployment({
          ...input,
          target: { ...input.target, targetVersion: "5" },
        }),
      ),
    ).toMatchObject({ name: "Deploy.DeploymentAlreadyExists" });
  });

  it("rejects bad input, naming every field", async () => {
    const bad = {
      ...lambdaDeployment(freshGroup()),
      deploymentId: "x",
      platform: "Kubernetes",
      application: "",
      target: [],
    } as never;
    const f = await failure(registry.createDeployment(bad));
    expect(f.name).toBe("Deploy.InvalidInput");
    for (const field of ["deploymentId", "application", "platform", "target"]) expect(f.message).toContain(`${field}:`);
  });

  it("nothing Lambda-specific: an ECS and a Server deployment store their own target shapes", async () => {
    const ecs = lambdaDeployment(freshGroup(), freshId(), {
      platform: "ECS",
      deploymentConfigName: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
      target: { cluster: "c", service: "s", taskDefinition: "td:7" },
    });
    const server = lambdaDeployment(freshGroup(), freshId(), {
      platform: "Server",
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      target: {
        revision: { s3: "s3://b/k", eTag: "abc" },
        instances: ["i-1", "i-2"],
      },
    });
    for (const input of [ecs, server])
      expect((await registry.createDeployment(input)).record).toMatchObject({
        platform: input.platform,
        target: input.target,
      });
  });
});

describe("status lifecycle on the table", () => {
  it("Created -> InProgress -> Succeeded; repeats are no-ops; a final status never goes back", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    const started = await registry.markInProgress(deploymentId, "arn:exec:1");
    expect(started).toMatchObject({
      changed: true,
      record: { status: "InProgress", executionArn: "arn:exec:1", version: 2 },
    });
    expect(await registry.markInProgress(deploymentId, "arn:exec:1")).toEqual({
      record: started.record,
      changed: false,
    });
    const done = await registry.markSucceeded(deploymentId);
    expect(done.record).toMatchObject({
      status: "Succeeded",
      startTime: started.record.startTime,
      endTime: expect.any(String),
      version: 3,
    });
    expect(await registry.markSucceeded(deploymentId)).toEqual({
      record: done.record,
      changed: false,
    });
    for (const attempt of [
      registry.markInProgress(deploymentId),
      registry.markFailed(deploymentId, "Deploy.HookFailed", "late"),
      registry.requestControl(deploymentId, { intent: "stop", by: "ops" }),
    ]) {
      expect(await failure(attempt)).toMatchObject({
        name: "Deploy.DeploymentAlreadyCompleted",
        message: expect.stringContaining("already Succeeded"),
      });
    }
    expect(await registry.getDeployment(deploymentId)).toEqual(done.record);
  });

  it("an illegal jump is Deploy.InvalidStatusTransition; an unknown id is Deploy.DeploymentNotFound", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    expect(await failure(registry.markSucceeded(deploymentId))).toMatchObject({
      name: "Deploy.InvalidStatusTransition",
      message: `Deployment ${deploymentId} cannot go from Created to Succeeded`,
    });
    expect(await failure(registry.markInProgress(freshId()))).toMatchObject({
      name: "Deploy.DeploymentNotFound",
    });
    expect(await registry.getDeployment(freshId())).toBeUndefined();
  });

  it("concurrent finalisation: exactly one write wins, duplicates are no-ops, a different final status is refused", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    await registry.markInProgress(deploymentId);
    const regs = Array.from({ length: 6 }, () => registryOn(db));
    const results = await Promise.allSettled(
      regs.map((r, i) => (i % 2 === 0 ? r.markSucceeded(deploymentId) : r.markStopped(deploymentId, "Deploy.Stopped", "stop requested"))),
    );
    const stored = (await registry.getDeployment(deploymentId))!;
    expect(["Succeeded", "Stopped"]).toContain(stored.status);
    expect(stored.version).toBe(3);
    const changed = results.filter((r) => r.status === "fulfilled" && r.value.changed);
    expect(changed).toHaveLength(1);
    for (const [i, r] of results.entries()) {
      const wanted: DeploymentStatus = i % 2 === 0 ? "Succeeded" : "Stopped";
      if (wanted === stored.status) expect(r.status).toBe("fulfilled");
      else expect(r.status === "rejected" && (r.reason as Error).name).toBe("Deploy.DeploymentAlreadyCompleted");
    }
  });

  it("a deployment that never started can fail or be stopped (no startTime)", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    const r = await registry.markFailed(deploymentId, "Deploy.InvalidInput", "alias does not exist");
    expect(r.record).toMatchObject({
      status: "Failed",
      errorName: "Deploy.InvalidInput",
      reason: "alias does not exist",
    });
    expect(r.record.startTime).toBeUndefined();
  });
});

describe("control, progress and rollback info", () => {
  it("records operator intents with who and when; the workflow reads them back", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    await registry.markInProgress(deploymentId);
    expect(
      (
        await registry.requestControl(deploymentId, {
          intent: "pause",
          by: "alice",
        })
      ).record.control,
    ).toEqual({
      paused: true,
      pauseRequested: { requestedBy: "alice", requestedAt: expect.any(String) },
    });
    expect(
      (
        await registry.requestControl(deploymentId, {
          intent: "pause",
          by: "bob",
        })
      ).changed,
    ).toBe(false);
    await registry.requestControl(deploymentId, {
      intent: "resume",
      by: "bob",
    });
    await registry.requestControl(deploymentId, {
      intent: "stop",
      by: "carol",
      rollback: true,
    });
    const r = await registry.requireDeployment(deploymentId);
    expect(r.control).toMatchObject({
      paused: false,
      resumeRequested: { requestedBy: "bob" },
      stopRequested: { requestedBy: "carol", rollback: true },
    });
  });

  it("concurrent intents are all kept (optimistic concurrency re-decides the loser)", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    await registry.markInProgress(deploymentId);
    const [a, b, c] = [registryOn(db), registryOn(db), registryOn(db)];
    await Promise.all([
      a.requestControl(deploymentId, { intent: "promote", by: "a" }),
      b.requestControl(deploymentId, { intent: "pause", by: "b" }),
      c.recordProgress(deploymentId, { weight: 10, step: 1, totalSteps: 2 }),
    ]);
    const r = await registry.requireDeployment(deploymentId);
    expect(r.control).toMatchObject({
      paused: true,
      promoteRequested: { requestedBy: "a" },
      pauseRequested: { requestedBy: "b" },
    });
    expect(r.progress).toMatchObject({ weight: 10, step: 1, totalSteps: 2 });
    expect(r.version).toBe(5);
  });

  it("progress is kept for status views while InProgress and ignored after", async () => {
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(freshGroup()))).record;
    expect((await registry.recordProgress(deploymentId, { weight: 10, step: 1 })).changed).toBe(false);
    await registry.markInProgress(deploymentId);
    await registry.recordProgress(deploymentId, {
      weight: 10,
      step: 1,
      totalSteps: 2,
      note: "canary",
    });
    await registry.markFailed(deploymentId, "Deploy.AlarmTriggered", "Errors alarm");
    expect((await registry.recordProgress(deploymentId, { weight: 100, step: 2 })).changed).toBe(false);
    expect((await registry.requireDeployment(deploymentId)).progress).toMatchObject({ weight: 10, step: 1, note: "canary" });
  });

  it("links a rollback both ways, as CodeDeploy's rollbackInfo", async () => {
    const group = freshGroup();
    const failed = (await registry.createDeployment(lambdaDeployment(group))).record.deploymentId;
    await registry.markInProgress(failed);
    await registry.markFailed(failed, "Deploy.AlarmTriggered", "alarm");
    const rollback = (
      await registry.createDeployment(
        lambdaDeployment(group, freshId(), {
          creator: "codeDeployRollback",
          rollbackInfo: { rollbackTriggeringDeploymentId: failed },
        }),
      )
    ).record;
    const linked = await registry.linkRollback(failed, rollback.deploymentId, "Rollback in progress");
    expect(linked.triggering.rollbackInfo).toEqual({
      rollbackDeploymentId: rollback.deploymentId,
      rollbackMessage: "Rollback in progress",
    });
    expect(linked.rollback).toMatchObject({
      creator: "codeDeployRollback",
      rollbackInfo: { rollbackTriggeringDeploymentId: failed },
    });
    // Repeating is harmless; a different rollback id is refused.
    await registry.linkRollback(failed, rollback.deploymentId, "Rollback in progress");
    expect(
      await failure(
        registry.recordRollbackInfo(failed, {
          rollbackDeploymentId: freshId(),
        }),
      ),
    ).toMatchObject({ name: "Deploy.InvalidInput" });
    expect(
      (
        await registry.recordRollbackInfo(failed, {
          rollbackMessage: "Rollback succeeded",
        })
      ).record.rollbackInfo?.rollbackMessage,
    ).toBe("Rollback succeeded");
  });
});

describe("queries", () => {
  // Its own table, so "all deployments" is exactly what this block created.
  let q: LocalDynamoDb;
  let reg: DeploymentRegistry;
  const g1 = freshGroup("hist");
  const g2 = freshGroup("hist");
  const created: DeploymentRecord[] = [];

  beforeAll(async () => {
    q = await startDynalite("stepdeploy-queries");
    reg = registryOn(q, { clock: steppingClock("2026-02-01T00:00:00.000Z") });
    const plan: [typeof g1, DeploymentStatus][] = [
      [g1, "Succeeded"],
      [g2, "Failed"],
      [g1, "Failed"],
      [g1, "Succeeded"],
      [g2, "InProgress"],
      [g1, "Stopped"],
      [g1, "Created"],
    ];
    for (const [group, status] of plan) {
      const { deploymentId } = (await reg.createDeployment(lambdaDeployment(group))).record;
      if (status !== "Created") await reg.markInProgress(deploymentId);
      if (status === "Succeeded") await reg.markSucceeded(deploymentId);
      if (status === "Failed") await reg.markFailed(deploymentId, "Deploy.HookFailed", "hook");
      if (status === "Stopped") await reg.markStopped(deploymentId, "Deploy.Stopped", "stop");
      created.push((await reg.requireDeployment(deploymentId))!);
    }
  });
  afterAll(async () => {
    await q?.close();
  });

  const ids = (rs: DeploymentRecord[]) => rs.map((r) => r.deploymentId);
  const newestFirst = (rs: DeploymentRecord[]) => ids([...rs].reverse());

  it("history by group: newest first, paginated with nextToken, optional status filter", async () => {
    const all = await reg.groupHistory(g1);
    expect(ids(all.deployments)).toEqual(newestFirst(created.filter((r) => r.deploymentGroup === g1.deploymentGroup)));
    expect(all.nextToken).toBeUndefined();
    const pages: string[] = [];
    let token: string | undefined;
    do {
      const page = await reg.groupHistory(g1, {
        limit: 2,
        ...(token ? { nextToken: token } : {}),
      });
      expect(page.deployments.length).toBeLessThanOrEqual(2);
      pages.push(...ids(page.deployments));
      token = page.nextToken;
    } while (token);
    expect(pages).toEqual(ids(all.deployments));
    const ok = await reg.groupHistory(g1, {
      statuses: ["Succeeded"],
      limit: 1,
    });
    expect(ok.deployments.map((r) => r.status)).toEqual(["Succeeded"]);
    const rest = await reg.groupHistory(g1, {
      statuses: ["Succeeded"],
      limit: 1,
      nextToken: ok.nextToken!,
    });
    expect(ids([...ok.deployments, ...rest.deployments])).toEqual(
      newestFirst(created.filter((r) => r.deploymentGroup === g1.deploymentGroup && r.status === "Succeeded")),
    );
  });

  it("all deployments: newest first across statuses, paginated, optional status filter", async () => {
    const all = await reg.listDeployments();
    expect(ids(all.deployments)).toEqual(newestFirst(created));
    const pages: string[] = [];
    let token: string | undefined;
    do {
      const page = await reg.listDeployments({
        limit: 3,
        ...(token ? { nextToken: token } : {}),
      });
      pages.push(...ids(page.deployments));
      token = page.nextToken;
    } while (token);
    expect(pages).toEqual(newestFirst(created));
    const finished = await reg.listDeployments({
      statuses: ["Failed", "Stopped"],
    });
    expect(ids(finished.deployments)).toEqual(newestFirst(created.filter((r) => r.status === "Failed" || r.status === "Stopped")));
    expect(ids((await reg.listDeployments({ statuses: ["InProgress"] })).deployments)).toEqual(newestFirst(created.filter((r) => r.status === "InProgress")));
  });

  it("validates queries", async () => {
    expect(await failure(reg.listDeployments({ nextToken: "garbage" }))).toMatchObject({
      name: "Deploy.InvalidInput",
      message: expect.stringContaining("nextToken"),
    });
    expect(await failure(reg.listDeployments({ limit: 0 }))).toMatchObject({
      name: "Deploy.InvalidInput",
    });
    expect(await failure(reg.listDeployments({ application: "app" }))).toMatchObject({ name: "Deploy.InvalidInput" });
    expect(await failure(reg.listDeployments({ statuses: ["Queued" as DeploymentStatus] }))).toMatchObject({ name: "Deploy.InvalidInput" });
  });
});

describe("last successful revision per group", () => {
  it("is written on success, moves forward only, and a retried success heals a crash in between", async () => {
    const group = freshGroup();
    const run = async (targetVersion: string) => {
      const { deploymentId } = (
        await registry.createDeployment(
          lambdaDeployment(group, freshId(), {
            target: { functionName: "orders", alias: "live", targetVersion },
          }),
        )
      ).record;
      await registry.markInProgress(deploymentId);
      return deploymentId;
    };
    expect(await registry.getLastSuccessful(group)).toBeUndefined();
    const d1 = await run("4");
    await registry.markSucceeded(d1);
    expect(await registry.getLastSuccessful(group)).toMatchObject({
      deploymentId: d1,
      platform: "Lambda",
      target: { targetVersion: "4" },
    });
    const d2 = await run("5");
    await registry.markFailed(d2, "Deploy.AlarmTriggered", "alarm");
    expect((await registry.getLastSuccessful(group))?.deploymentId).toBe(d1);
    const d3 = await run("6");
    await registry.markSucceeded(d3);
    await registry.markSucceeded(d1); // a late retry of the older success
    expect(await registry.getLastSuccessful(group)).toMatchObject({
      deploymentId: d3,
      target: { targetVersion: "6" },
    });

    // Crash between the status write and the last-successful write: the retried call completes the job.
    const crashing = new (class extends DynamoDbRegistryStore {
      crashed = false;
      override async putLastSuccessful(item: LastSuccessful): Promise<void> {
        if (!this.crashed) {
          this.crashed = true;
          throw Object.assign(new Error("Lambda timed out"), {
            name: "Deploy.Transient",
          });
        }
        return super.putLastSuccessful(item);
      }
    })(db.client, db.tableName);
    const flaky = new DeploymentRegistry(crashing, {
      clock: steppingClock("2026-06-01T00:00:00.000Z"),
    });
    const d4 = await run("7");
    expect(await failure(flaky.markSucceeded(d4))).toMatchObject({
      name: "Deploy.Transient",
    });
    expect((await registry.getLastSuccessful(group))?.deploymentId).toBe(d3);
    expect((await flaky.markSucceeded(d4)).changed).toBe(false);
    expect(await registry.getLastSuccessful(group)).toMatchObject({
      deploymentId: d4,
      target: { targetVersion: "7" },
    });
  });
});
