import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHandler as nextBatch } from "../../../functions/handlers/nextServerBatch.js";
import { createHandler as poll } from "../../../functions/handlers/pollServerCommands.js";
import { createHandler as send } from "../../../functions/handlers/sendServerCommands.js";
import { createHandler as startHandler } from "../../../functions/handlers/startServer.js";
import { fakeWorld } from "../../support/fakes/index.js";
import type { FakeCloudWatch } from "../../support/fakes/cloudwatch.js";
import type { FakeBundleStore } from "../../support/fakes/bundle-store.js";
import type { FakeInstances } from "../../support/fakes/instances.js";
import type { FakeLoadBalancer } from "../../support/fakes/load-balancer.js";
import type { FakeRunCommand } from "../../support/fakes/run-command.js";

const APPSPEC = "version: 0.0\nos: linux\nhooks:\n  ValidateService:\n    - location: scripts/check.sh\n      timeout: 200\n";
const input = (over: Record<string, unknown> = {}) => ({
  deploymentId: "d-HANDLER01",
  application: "orders",
  deploymentGroup: "prod",
  target: { tags: { app: "orders" } },
  revision: { bucket: "b", key: "orders.zip", eTag: "e1", bundleType: "zip" },
  deploymentConfig: "CodeDeployDefault.HalfAtATime",
  ...over,
});

const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:stepdeploy-local-deploy-server:d-HANDLER01";
/** Start as the workflow calls it: the raw input and the execution's ARN. */
const start = (deps: Parameters<typeof startHandler>[0]) => (raw: unknown) => startHandler(deps)({ input: raw, executionArn: EXECUTION });

function world(nodes: { id: string; online?: boolean; tags?: Record<string, string> }[]) {
  const w = fakeWorld();
  (w.deps.bundles as FakeBundleStore).put("b", "orders.zip", { "appspec.yml": APPSPEC, "scripts/check.sh": "#!/bin/bash\n" });
  const ssm = w.deps.runCommand as FakeRunCommand;
  for (const n of nodes) ssm.nodes.push({ id: n.id, platform: "Linux", online: n.online ?? true, tags: n.tags ?? { app: "orders" } });
  return { w, ssm };
}

describe("server deployment handlers over fake ports", () => {
  it("Start: tagged nodes in id order, offline and unknown listed instances counted failed, the config's minimum", async () => {
    const { w } = world([{ id: "i-0000000000000000b" }, { id: "i-0000000000000000a" }, { id: "i-0000000000000000c", online: false }]);
    const out = await start(w.deps)(input({ target: { tags: { app: "orders" }, instanceIds: ["i-0000000000000000d"] } }));
    expect(out.fleet).toEqual({
      config: "CodeDeployDefault.HalfAtATime",
      total: 4,
      minHealthy: 2,
      instances: ["i-0000000000000000a", "i-0000000000000000b"],
      unhealthy: 0,
      cursor: 0,
      succeeded: 0,
      failed: 2,
      batches: 0,
      unreachable: [
        { instanceId: "i-0000000000000000d", reason: "not an SSM managed node (no agent, or not registered)" },
        { instanceId: "i-0000000000000000c", reason: "the SSM agent does not answer (PingStatus not Online)" },
      ],
      phase: "inPlace",
      startedAtMs: Date.parse("2026-01-01T00:00:00.000Z"),
    });
    expect(out.deployment).toMatchObject({ deploymentGroupId: "orders.prod", deploymentRoot: "/opt/stepdeploy/deployment-root", bundle: { bucket: "b", key: "orders.zip", etag: "e1", bundleType: "zip" } });
  });

  it("Start orders by what the group's deployments left (unhealthy, unknown, old, current); NextBatch records each batch and takes the unhealthy ones without counting them against the minimum", async () => {
    const ids = ["i-0000000000000000a", "i-0000000000000000b", "i-0000000000000000c", "i-0000000000000000d", "i-0000000000000000e"];
    const { w } = world(ids.map((id) => ({ id })));
    const group = { application: "orders", deploymentGroup: "prod" };
    const current = "s3://b/orders.zip#e1";
    await w.deps.registry.recordInstanceResults(group, "d-EARLIER01", current, [{ instanceId: ids[0]!, succeeded: true }]);
    await w.deps.registry.recordInstanceResults(group, "d-EARLIER02", "s3://b/orders-old.zip#e0", [{ instanceId: ids[1]!, succeeded: true }]);
    await w.deps.registry.recordInstanceResults(group, "d-EARLIER03", "s3://b/orders-old.zip#e0", [{ instanceId: ids[3]!, succeeded: false }]);
    // e: never deployed by the group (Unknown, healthy); d: its last attempt failed (Unhealthy); b: Old; a: Current.
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.OneAtATime" }));
    expect(started.fleet).toMatchObject({ instances: [ids[3], ids[2], ids[4], ids[1], ids[0]], unhealthy: 1, minHealthy: 4 });
    expect(started.run.revisionKey).toBe(current);
    // OneAtATime on 5 (min 4): 4 healthy, so the first batch is the unhealthy one alone (it cannot lower the count).
    const first = await nextBatch(w.deps)({ run: started.run, fleet: started.fleet });
    expect(first.next).toMatchObject({ action: "deploy", batch: [ids[3]] });
    const second = await nextBatch(w.deps)({ run: started.run, fleet: first.fleet, lastBatch: { outcomes: [{ instanceId: ids[3]!, status: "Succeeded" }] } });
    expect(second.next).toMatchObject({ action: "deploy", batch: [ids[2]] });
    const third = await nextBatch(w.deps)({ run: started.run, fleet: second.fleet, lastBatch: { outcomes: [{ instanceId: ids[2]!, status: "Failed", errorCode: "ScriptFailed" }] } });
    expect(third.next).toMatchObject({ action: "fail", error: "Deploy.HealthConstraints" });
    const health = await w.deps.registry.instanceHealth(group);
    expect(health.get(ids[3]!)).toMatchObject({ health: "Healthy", revision: current, deploymentId: "d-HANDLER01" });
    expect(health.get(ids[2]!)).toMatchObject({ health: "Unhealthy", deploymentId: "d-HANDLER01" });
    expect(health.get(ids[2]!)?.revision).toBeUndefined();
    expect(health.get(ids[1]!)).toMatchObject({ health: "Healthy", revision: "s3://b/orders-old.zip#e0" });
  });

  it("Start: an EC2 instance that is not running (pending, shutting-down) counts as unreachable; one EC2 does not know (on-premises) is taken as SSM sees it", async () => {
    const { w } = world([{ id: "i-0000000000000000a" }, { id: "i-0000000000000000b" }, { id: "i-0000000000000000c" }]);
    const ec2 = w.deps.instances as FakeInstances;
    ec2.instances.set("i-0000000000000000a", { id: "i-0000000000000000a", state: "running", tags: {} });
    ec2.instances.set("i-0000000000000000b", { id: "i-0000000000000000b", state: "shutting-down", tags: {} });
    const out = await start(w.deps)(input());
    expect(out.fleet).toMatchObject({ total: 3, instances: ["i-0000000000000000a", "i-0000000000000000c"], failed: 1, unreachable: [{ instanceId: "i-0000000000000000b", reason: "its EC2 state is shutting-down, not running" }] });
  });

  it("Start resolves the target groups by name with their drain and time to healthy; a target type other than instance is refused before anything runs", async () => {
    const { w, ssm } = world([{ id: "i-0000000000000000a" }, { id: "i-0000000000000000b" }]);
    const lb = w.deps.loadBalancer as FakeLoadBalancer;
    const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-web/0123456789abcdef";
    lb.targetGroups.set("orders-web", arn);
    const out = await start(w.deps)(input({ targetGroups: ["orders-web"] }));
    expect(out.deployment.targetGroups).toEqual([{ arn, name: "orders-web", drainSeconds: 300, healthySeconds: 150 }]);
    lb.targetTypes.set(arn, "ip");
    await expect(start(w.deps)(input({ targetGroups: ["orders-web"] }))).rejects.toMatchObject({ name: "Deploy.UnsupportedTrafficConfig", message: expect.stringContaining("orders-web has target type ip") });
    await expect(start(w.deps)(input({ targetGroups: ["orders-gone"] }))).rejects.toMatchObject({ name: "Deploy.ResourceNotFound" });
    expect(ssm.sent).toEqual([]);
  });

  it.each([
    { label: "no instance matches", nodes: [], over: {}, name: "Deploy.NoInstances" },
    { label: "the minimum leaves no room", nodes: [{ id: "i-0000000000000000a" }], over: {}, name: "Deploy.HealthConstraintsInvalid" },
    { label: "an object that is not the pinned revision", nodes: [{ id: "i-0000000000000000a" }], over: { revision: { bucket: "b", key: "orders.zip", eTag: "e2", bundleType: "zip" } }, name: "Bundle.RevisionMismatch" },
    { label: "a bad field", nodes: [], over: { target: { tags: {} } }, name: "Deploy.InvalidInput" },
  ])("Start refuses before anything runs: $label", async ({ nodes, over, name }) => {
    const { w, ssm } = world(nodes);
    await expect(start(w.deps)(input(over))).rejects.toMatchObject({ name });
    expect(ssm.sent).toEqual([]);
  });

  it("Send, Poll, NextBatch: 120 instances go out as three SendCommands; a failure's event and code come from the output", async () => {
    const ids = Array.from({ length: 120 }, (_, k) => `i-0${String(k).padStart(16, "0")}`);
    const { w, ssm } = world(ids.map((id) => ({ id })));
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.AllAtOnce" }));
    const first = await nextBatch(w.deps)({ run: started.run, fleet: started.fleet });
    expect(first.next).toEqual({ action: "deploy", batch: ids, batchNumber: 1, phase: "inPlace" });
    const { commands } = await send(w.deps)({ deployment: started.deployment, batch: ids });
    expect(commands.map((c) => c.instanceIds.length)).toEqual([50, 50, 20]);
    expect(ssm.sent[0]).toMatchObject({ documentName: "AWS-RunShellScript", executionTimeoutSeconds: 500 });
    ssm.scripted.set(ids[0]!, { status: "InProgress", done: false });
    expect(await poll(w.deps)({ commands })).toEqual({ done: false, outcomes: [], interrupted: null });
    ssm.scripted.set(ids[0]!, { status: "Failed", done: true, exitCode: 1, output: "hook output\n".repeat(400) + "[stepdeploy] event=ValidateService status=Failed code=ScriptTimedOut message=Script at specified location: scripts/check.sh failed to complete in 200 seconds\n" });
    ssm.scripted.set(ids[1]!, { status: "TimedOut", done: true, exitCode: -1, details: "DeliveryTimedOut" });
    const results = await poll(w.deps)({ commands });
    expect(results.done).toBe(true);
    expect(results.outcomes.slice(0, 3)).toEqual([
      { instanceId: ids[0], status: "Failed", event: "ValidateService", errorCode: "ScriptTimedOut", message: "Script at specified location: scripts/check.sh failed to complete in 200 seconds" },
      { instanceId: ids[1], status: "Failed", errorCode: "UnknownError", message: "SSM TimedOut (DeliveryTimedOut), exit code -1" },
      { instanceId: ids[2], status: "Succeeded" },
    ]);
    const end = await nextBatch(w.deps)({ run: started.run, fleet: first.fleet, lastBatch: results });
    expect(end.next).toEqual({ action: "succeed" });
    expect(end.fleet).toMatchObject({ succeeded: 118, failed: 2, cursor: 120, batches: 1 });
  });
});

describe("Start and NextBatch in the registry", () => {
  const ids = ["i-0000000000000000a", "i-0000000000000000b", "i-0000000000000000c", "i-0000000000000000d"];
  const batch = (n: number) => ({ outcomes: [{ instanceId: ids[n]!, status: "Succeeded" as const }] });

  it("Start records the deployment InProgress with its revision and takes the group's lock; a second one of the group is refused", async () => {
    const { w } = world(ids.map((id) => ({ id })));
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.OneAtATime" }));
    expect(started.run).toMatchObject({ lockKey: "codedeploy:deploymentgroup:orders/prod", eventDetail: { state: "START", revision: "s3://b/orders.zip", instances: { total: 4, pending: 4 } } });
    expect(await w.deps.registry.getDeployment("d-HANDLER01")).toMatchObject({ status: "InProgress", platform: "Server", target: { revision: { eTag: "e1" }, instances: 4 } });
    expect((await w.deps.registry.getLock({ lockKey: started.run.lockKey }))?.holderDeploymentId).toBe("d-HANDLER01");
    // A retried Start finds its own record and lock.
    await expect(start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.OneAtATime" }))).resolves.toBeDefined();
    const other = startHandler(w.deps)({ input: input({ deploymentId: "d-HANDLER02" }), executionArn: EXECUTION.replace("d-HANDLER01", "d-HANDLER02") });
    await expect(other).rejects.toMatchObject({ name: "Deploy.ConflictingDeployment" });
  });

  it.each([
    { label: "a stop request", act: (w: ReturnType<typeof fakeWorld>) => w.deps.registry.requestControl("d-HANDLER01", { intent: "stop", by: "ops", rollback: true }), error: "Deploy.Stopped" },
    { label: "a stop without rollback", act: (w: ReturnType<typeof fakeWorld>) => w.deps.registry.requestControl("d-HANDLER01", { intent: "stop", by: "ops", rollback: false }), error: "Deploy.StoppedWithoutRollback" },
    { label: "an alarm in ALARM", act: async (w: ReturnType<typeof fakeWorld>) => (w.deps.alarms as FakeCloudWatch).alarms.set("orders-5xx", "ALARM"), error: "Deploy.AlarmTriggered" },
  ])("NextBatch after $label: the last batch is counted, no batch goes out, the cursor stays", async ({ act, error }) => {
    const { w } = world(ids.map((id) => ({ id })));
    (w.deps.alarms as FakeCloudWatch).alarms.set("orders-5xx", "OK");
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.OneAtATime", alarms: ["orders-5xx"] }));
    const first = await nextBatch(w.deps)({ run: started.run, fleet: started.fleet });
    expect(first.next).toMatchObject({ action: "deploy", batch: [ids[0]] });
    await act(w);
    const halted = await nextBatch(w.deps)({ run: started.run, fleet: first.fleet, lastBatch: batch(0) });
    expect(halted.next).toMatchObject({ action: "fail", error });
    expect(halted.fleet).toMatchObject({ cursor: 1, succeeded: 1, failed: 0, batches: 1 });
    expect(halted.instances).toEqual({ total: 4, succeeded: 1, failed: 0, pending: 0, skipped: 3 });
    expect((await w.deps.registry.getDeployment("d-HANDLER01"))?.progress).toMatchObject({ weight: 25, step: 1, instances: { succeeded: 1, skipped: 3 } });
  });

  it.each([
    { label: "a stop request", act: (w: ReturnType<typeof fakeWorld>) => w.deps.registry.requestControl("d-HANDLER01", { intent: "stop", by: "ops", rollback: true }), error: "Deploy.Stopped", cause: /^stopped by ops during its batch \(1 command\(s\) cancelled\)$/ },
    { label: "an alarm in ALARM", act: async (w: ReturnType<typeof fakeWorld>) => (w.deps.alarms as FakeCloudWatch).alarms.set("orders-5xx", "ALARM"), error: "Deploy.AlarmTriggered", cause: /orders-5xx.*during its batch/ },
  ])("Poll during a running batch after $label: its command is cancelled, the batch ends interrupted, NextBatch fails with that reason", async ({ act, error, cause }) => {
    const { w, ssm } = world(ids.map((id) => ({ id })));
    (w.deps.alarms as FakeCloudWatch).alarms.set("orders-5xx", "OK");
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.HalfAtATime", alarms: ["orders-5xx"] }));
    const first = await nextBatch(w.deps)({ run: started.run, fleet: started.fleet });
    const { commands } = await send(w.deps)({ deployment: started.deployment, batch: first.next.action === "deploy" ? first.next.batch : [] });
    const watch = { deploymentId: started.run.deploymentId, alarms: started.run.alarms, ignorePollAlarmFailure: started.run.ignorePollAlarmFailure };
    ssm.scripted.set(ids[1]!, { status: "InProgress", done: false });
    // Nothing to stop for: the poll reads, checks, and waits like before (no command cancelled).
    expect(await poll(w.deps)({ commands, watch })).toEqual({ done: false, outcomes: [], interrupted: null });
    expect(ssm.cancelled).toEqual([]);
    await act(w);
    const polled = await poll(w.deps)({ commands, watch });
    expect(ssm.cancelled).toEqual([commands[0]!.commandId]);
    expect(polled).toMatchObject({ done: true, interrupted: { error, cause: expect.stringMatching(cause) } });
    expect(polled.outcomes).toEqual([
      { instanceId: ids[0], status: "Succeeded" },
      { instanceId: ids[1], status: "Failed", errorCode: "Cancelled", message: "the install command was cancelled (stop or alarm) before it ended" },
    ]);
    const halted = await nextBatch(w.deps)({ run: started.run, fleet: first.fleet, lastBatch: polled });
    expect(halted.next).toMatchObject({ action: "fail", error });
    expect(halted.fleet).toMatchObject({ cursor: 2, succeeded: 1, failed: 1, batches: 1 });
    expect(halted.instances).toEqual({ total: 4, succeeded: 1, failed: 1, pending: 0, skipped: 2 });
  });

  it("Poll without a watch (a batch of an older execution) never cancels", async () => {
    const { w, ssm } = world(ids.map((id) => ({ id })));
    const started = await start(w.deps)(input({ deploymentConfig: "CodeDeployDefault.AllAtOnce" }));
    const { commands } = await send(w.deps)({ deployment: started.deployment, batch: ids });
    await w.deps.registry.requestControl("d-HANDLER01", { intent: "stop", by: "ops", rollback: true });
    ssm.scripted.set(ids[0]!, { status: "Pending", done: false });
    expect(await poll(w.deps)({ commands })).toEqual({ done: false, outcomes: [], interrupted: null });
    expect(ssm.cancelled).toEqual([]);
  });
});

describe("Start on CodeDeploy's tag filters (a Server group's instances)", () => {
  it("property: the fleet is exactly the online nodes matching any filter (KEY_AND_VALUE on key and value, KEY_ONLY on the key), once each, in id order", async () => {
    const tags = fc.dictionary(fc.constantFrom("app", "site", "aws:autoscaling:groupName"), fc.constantFrom("orders", "billing", "asg-1"), { maxKeys: 3 });
    const filter = fc.oneof(
      fc.record({ Key: fc.constantFrom("app", "site", "aws:autoscaling:groupName"), Value: fc.constantFrom("orders", "billing", "asg-1"), Type: fc.constant("KEY_AND_VALUE") }),
      fc.record({ Key: fc.constantFrom("app", "site", "aws:autoscaling:groupName"), Type: fc.constant("KEY_ONLY") }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(tags, { minLength: 1, maxLength: 8 }), fc.array(filter, { minLength: 1, maxLength: 4 }), async (nodeTags, filters) => {
        const nodes = nodeTags.map((t, n) => ({ id: `i-0000000000000000${n}`, tags: t }));
        const matches = (t: Record<string, string>) => filters.some((f) => (f.Type === "KEY_ONLY" ? f.Key in t : t[f.Key] === f.Value));
        const want = nodes.filter((n) => matches(n.tags)).map((n) => n.id);
        const { w, ssm } = world(nodes);
        const run = start(w.deps)(input({ target: { tagFilters: filters }, deploymentConfig: "CodeDeployDefault.AllAtOnce" }));
        if (want.length === 0) await expect(run).rejects.toMatchObject({ name: "Deploy.NoInstances" });
        else expect((await run).fleet.instances).toEqual(want);
        expect(ssm.sent).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("without an eTag the deployment is pinned to the ETag the read returned", async () => {
    const { w } = world([{ id: "i-0000000000000000a" }]);
    const bundles = w.deps.bundles as FakeBundleStore;
    const inspect = bundles.inspect.bind(bundles);
    bundles.inspect = async (rev, opts) => ({ ...(await inspect(rev, opts)), eTag: "e1" }) as Awaited<ReturnType<FakeBundleStore["inspect"]>>;
    const out = await start(w.deps)(input({ revision: { bucket: "b", key: "orders.zip", bundleType: "zip" }, deploymentConfig: "CodeDeployDefault.AllAtOnce" }));
    expect(out.deployment.bundle.etag).toBe("e1");
  });
});
