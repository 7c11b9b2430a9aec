import { CancelCommandCommand, DescribeInstanceInformationCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, it } from "vitest";
import { loadAppSpec } from "../../../functions/domain/appspec/index.js";
import { installDocument, installSegments, parseInstallOutput, serverRevision } from "../../../functions/domain/server-install/index.js";
import { ssmWorldOf } from "../../../local/account/ssm/index.js";
import { describeEachTransport, failure, type Harness, startAccount } from "./helpers.js";

const APPSPEC = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv/orders\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n      timeout: 120\n  ValidateService:\n    - location: scripts/check.sh\n      timeout: 300\n";
const SETUP = {
  ssm: {
    instances: [
      { id: "i-0a0000000000000a1", tags: { app: "orders", env: "prod" } },
      { id: "i-0a0000000000000a2", tags: { app: "orders", env: "prod" }, behaviour: { fail: { event: "ApplicationStart", exitCode: 3, bundleKey: "orders/v2.zip" } } },
      { id: "i-0a0000000000000a3", tags: { app: "orders", env: "prod" }, behaviour: { hang: { event: "ValidateService" } } },
      { id: "i-0a0000000000000a4", tags: { app: "orders", env: "prod" }, pingStatus: "ConnectionLost" },
      { id: "mi-0123456789abcdef0", tags: { app: "orders", env: "onprem" } },
      { id: "i-0b00000000000000b", platform: "Windows", tags: { app: "billing" } },
    ],
  },
};

/** The install script of `deploymentId` for `key`, as the workflow sends it. */
function install(deploymentId: string, key: string): string {
  return installDocument({
    deploymentId,
    applicationName: "orders",
    deploymentGroupName: "prod",
    deploymentGroupId: "group",
    bundle: { bucket: "bundles", key, etag: '"e"', bundleType: "zip" },
    revision: serverRevision(loadAppSpec(APPSPEC, { platform: "server" })),
    events: installSegments(false)[0]!,
    final: true,
    deploymentRoot: "/opt/stepdeploy/deployment-root",
    keepRevisions: 5,
  }).script;
}

let h: Harness;
let ssm: SSMClient;
const send = (instanceIds: string[], script: string, extra: Record<string, unknown> = {}) => ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: instanceIds, Parameters: { commands: [script] }, ...extra }));
const invocation = (commandId: string, instanceId: string) => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));

describeEachTransport(
  SETUP,
  (harness) => {
    h = harness;
    ssm = new SSMClient(harness.config);
  },
  () => {
    it("finds managed nodes by tag, resource type and id, with paging", async () => {
      const byTag = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "tag:app", Values: ["orders"] }, { Key: "tag:env", Values: ["prod"] }] }));
      expect(byTag.InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus])).toEqual([
        ["i-0a0000000000000a1", "Online"],
        ["i-0a0000000000000a2", "Online"],
        ["i-0a0000000000000a3", "Online"],
        ["i-0a0000000000000a4", "ConnectionLost"],
      ]);
      const onPrem = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "ResourceType", Values: ["ManagedInstance"] }] }));
      expect(onPrem.InstanceInformationList?.map((i) => [i.InstanceId, i.ResourceType, i.PlatformType])).toEqual([["mi-0123456789abcdef0", "ManagedInstance", "Linux"]]);
      const first = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
      expect(first.InstanceInformationList).toHaveLength(5);
      const rest = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5, NextToken: first.NextToken }));
      expect(rest.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(["i-0b00000000000000b"]);
      expect(rest.NextToken).toBeUndefined();
      expect((await failure(ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "Color", Values: ["red"] }] })))).name).toBe("InvalidFilterKey");
    });

    it("runs an install: Pending, InProgress, Success with per-event output; the next deployment's ApplicationStop runs", async () => {
      const { Command } = await send(["i-0a0000000000000a1", "mi-0123456789abcdef0"], install("d-AAAAAAAA1", "orders/v1.zip"));
      const id = Command!.CommandId!;
      expect(Command).toMatchObject({ Status: "Pending", TargetCount: 2, DocumentName: "AWS-RunShellScript" });
      expect((await invocation(id, "i-0a0000000000000a1")).Status).toBe("Pending");
      h.clock.advance(2);
      expect((await invocation(id, "i-0a0000000000000a1")).Status).toBe("InProgress");
      h.clock.advance(60);
      const done = await invocation(id, "mi-0123456789abcdef0");
      expect(done).toMatchObject({ Status: "Success", StatusDetails: "Success", ResponseCode: 0, ExecutionElapsedTime: "PT12.0S" }); // 6 events × 2 s; the skipped ApplicationStop takes none
      expect(parseInstallOutput(done.StandardOutputContent!).map((r) => `${r.event}:${r.status}`)).toEqual(["ApplicationStop:Skipped", "DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"]);
      const world = ssmWorldOf(h.account);
      expect(world.revisionOf("mi-0123456789abcdef0")).toBe("d-AAAAAAAA1");
      const second = await send(["mi-0123456789abcdef0"], install("d-AAAAAAAA2", "orders/v2.zip"));
      h.clock.advance(60);
      const out = await invocation(second.Command!.CommandId!, "mi-0123456789abcdef0");
      expect(parseInstallOutput(out.StandardOutputContent!)[0]).toEqual({ event: "ApplicationStop", status: "Succeeded" });
      expect(world.revisionOf("mi-0123456789abcdef0")).toBe("d-AAAAAAAA2");
    });
  },
);

describe("SSM scripted instances", () => {
  afterEach(() => h.close());
  const start = async () => {
    h = await startAccount(SETUP);
    ssm = new SSMClient(h.config);
  };

  it("a failing hook fails the invocation with its exit code, only for the revision it is scripted for", async () => {
    await start();
    const bad = await send(["i-0a0000000000000a2"], install("d-AAAAAAAA2", "orders/v2.zip"));
    h.clock.advance(60);
    const out = await invocation(bad.Command!.CommandId!, "i-0a0000000000000a2");
    expect(out).toMatchObject({ Status: "Failed", ResponseCode: 1 });
    expect(parseInstallOutput(out.StandardOutputContent!).at(-1)).toEqual({ event: "ApplicationStart", status: "Failed", errorCode: "ScriptFailed", message: "Script at specified location: scripts/start.sh failed with exit code 3" });
    const good = await send(["i-0a0000000000000a2"], install("d-AAAAAAAA3", "orders/v1.zip"));
    h.clock.advance(60);
    expect((await invocation(good.Command!.CommandId!, "i-0a0000000000000a2")).Status).toBe("Success");
  });

  it("a hanging hook ends at its script timeout; a node whose agent is gone times out undelivered", async () => {
    await start();
    const { Command } = await send(["i-0a0000000000000a3", "i-0a0000000000000a4"], install("d-AAAAAAAA1", "orders/v1.zip"), { TimeoutSeconds: 600 });
    h.clock.advance(299);
    expect((await invocation(Command!.CommandId!, "i-0a0000000000000a3")).Status).toBe("InProgress");
    h.clock.advance(20);
    const hung = await invocation(Command!.CommandId!, "i-0a0000000000000a3");
    expect(parseInstallOutput(hung.StandardOutputContent!).at(-1)).toMatchObject({ event: "ValidateService", errorCode: "ScriptTimedOut", message: "Script at specified location: scripts/check.sh failed to complete in 300 seconds" });
    expect((await invocation(Command!.CommandId!, "i-0a0000000000000a4")).Status).toBe("Pending");
    h.clock.advance(600);
    expect(await invocation(Command!.CommandId!, "i-0a0000000000000a4")).toMatchObject({ Status: "TimedOut", StatusDetails: "DeliveryTimedOut", ResponseCode: -1 });
    const list = await ssm.send(new ListCommandInvocationsCommand({ CommandId: Command!.CommandId!, Details: true }));
    expect(list.CommandInvocations?.map((i) => [i.InstanceId, i.Status, i.CommandPlugins?.[0]?.ResponseCode])).toEqual([
      ["i-0a0000000000000a3", "Failed", 1],
      ["i-0a0000000000000a4", "TimedOut", -1],
    ]);
  });

  it("CancelCommand ends what has not ended as Cancelled and applies none of it; ended invocations stay as they are", async () => {
    await start();
    const first = await send(["i-0a0000000000000a1"], install("d-AAAAAAAA1", "orders/v1.zip"));
    h.clock.advance(60);
    expect((await invocation(first.Command!.CommandId!, "i-0a0000000000000a1")).Status).toBe("Success");
    const { Command } = await send(["i-0a0000000000000a1", "i-0a0000000000000a3", "i-0a0000000000000a4"], install("d-AAAAAAAA2", "orders/v2.zip"));
    h.clock.advance(3);
    expect((await invocation(Command!.CommandId!, "i-0a0000000000000a1")).Status).toBe("InProgress");
    await ssm.send(new CancelCommandCommand({ CommandId: Command!.CommandId!, InstanceIds: ["i-0a0000000000000a1", "i-0a0000000000000a4"] }));
    expect(await invocation(Command!.CommandId!, "i-0a0000000000000a1")).toMatchObject({ Status: "Cancelled", StatusDetails: "Cancelled", ResponseCode: -1 });
    expect((await invocation(Command!.CommandId!, "i-0a0000000000000a4")).Status).toBe("Cancelled");
    expect((await invocation(Command!.CommandId!, "i-0a0000000000000a3")).Status).toBe("InProgress");
    h.clock.advance(600);
    expect(ssmWorldOf(h.account).revisionOf("i-0a0000000000000a1")).toBe("d-AAAAAAAA1");
    const list = await ssm.send(new ListCommandInvocationsCommand({ CommandId: Command!.CommandId!, Details: true }));
    expect(list.CommandInvocations?.map((i) => i.Status)).toEqual(["Cancelled", "Failed", "Cancelled"]);
    await ssm.send(new CancelCommandCommand({ CommandId: first.Command!.CommandId! }));
    expect((await invocation(first.Command!.CommandId!, "i-0a0000000000000a1")).Status).toBe("Success");
    expect((await failure(ssm.send(new CancelCommandCommand({ CommandId: "00000000-0000-4000-8000-000000000000" })))).name).toBe("InvalidCommandId");
    expect((await failure(ssm.send(new CancelCommandCommand({ CommandId: Command!.CommandId!, InstanceIds: ["i-0b00000000000000b"] })))).name).toBe("InvalidInstanceId");
    expect((await failure(ssm.send(new CancelCommandCommand({ CommandId: Command!.CommandId!, InstanceIds: ["i-0a0000000000000a1", "i-0a0000000000000a1"] })))).name).toBe("DuplicateInstanceId");
    expect((await failure(ssm.send(new CancelCommandCommand({ CommandId: "short" })))).name).toBe("ValidationException");
  });

  it("refuses what SSM refuses, with its error names", async () => {
    await start();
    expect((await failure(send(["i-0ffffffffffffffff"], "echo hi"))).name).toBe("InvalidInstanceId");
    const many = Array.from({ length: 51 }, (_, k) => `i-0a00000000000${String(k).padStart(4, "0")}`);
    expect((await failure(send(many, "echo hi"))).name).toBe("ValidationException");
    expect((await failure(ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunBatch", InstanceIds: ["i-0a0000000000000a1"], Parameters: { commands: ["x"] } })))).name).toBe("InvalidDocument");
    expect((await failure(ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: ["i-0a0000000000000a1"], Parameters: {} })))).name).toBe("InvalidParameters");
    expect((await failure(invocation("00000000-0000-4000-8000-000000000000", "i-0a0000000000000a1"))).name).toBe("InvalidCommandId");
    const win = await send(["i-0b00000000000000b"], "echo hi");
    h.clock.advance(5);
    expect(await invocation(win.Command!.CommandId!, "i-0b00000000000000b")).toMatchObject({ Status: "Failed", StandardOutputContent: "AWS-RunShellScript cannot run on a Windows node" });
  });

  it("checks the setup strictly", async () => {
    await expect(startAccount({ ssm: { instances: [{ id: "server-1" }, { id: "i-0a0000000000000a1", behaviour: { fail: {} } }] } })).rejects.toThrow(/account.ssm.instances\[0\].id: must be an EC2 instance id.*account.ssm.instances\[1\].behaviour.fail.event/);
  });
});
