import { CompleteLifecycleActionCommand, CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, DescribeLifecycleHooksCommand, PutLifecycleHookCommand, RecordLifecycleActionHeartbeatCommand, UpdateAutoScalingGroupCommand, AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, type DescribeInstancesCommandInput, EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { describeEachTransport, failure, type Harness } from "./helpers.js";

const SETUP = {
  ssm: { instances: [{ id: "i-0b0000000000000b1", tags: { app: "orders", color: "blue" } }, { id: "i-0b0000000000000b2", tags: { app: "orders", color: "green" } }, { id: "mi-0123456789abcdef0", tags: { app: "orders" } }] },
  ec2: { launchTemplates: [{ name: "orders-web" }] },
  autoScaling: { groups: [{ name: "orders-asg", launchTemplate: "orders-web", desiredCapacity: 2, maxSize: 4, tags: { app: "orders" } }] },
};

let h: Harness;
let ec2: EC2Client;
let asg: AutoScalingClient;
let ssm: SSMClient;
const ids = async (input: DescribeInstancesCommandInput) =>
  (await ec2.send(new DescribeInstancesCommand(input))).Reservations?.flatMap((r) => r.Instances ?? []).map((i) => `${i.InstanceId} ${i.State?.Name}`);
const group = async (name: string) => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];

describe("simulated EC2 and Auto Scaling", () => {
  describeEachTransport(
    SETUP,
    (harness) => {
      h = harness;
      ec2 = new EC2Client(harness.config);
      asg = new AutoScalingClient(harness.config);
      ssm = new SSMClient(harness.config);
    },
    () => {
      it("EC2 lists the SSM setup's i- nodes and the group's launches, by tag, tag key, state and id; terminates through shutting-down", async () => {
        expect(await ids({ Filters: [{ Name: "tag:color", Values: ["blue", "green"] }] })).toEqual(["i-0b0000000000000b1 running", "i-0b0000000000000b2 running"]);
        const launched = await ids({ Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: ["orders-asg"] }, { Name: "instance-state-name", Values: ["running"] }] });
        expect(launched).toHaveLength(2);
        expect(await ids({ Filters: [{ Name: "tag-key", Values: ["app"] }] })).toHaveLength(4);
        const out = await ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0b0000000000000b1"] }));
        expect(out.TerminatingInstances?.map((t) => [t.PreviousState?.Name, t.CurrentState?.Name, t.CurrentState?.Code])).toEqual([["running", "shutting-down", 32]]);
        h.clock.advance(30);
        expect(await ids({ InstanceIds: ["i-0b0000000000000b1"] })).toEqual(["i-0b0000000000000b1 terminated"]);
        expect(await ids({ Filters: [{ Name: "instance-state-name", Values: ["terminated"] }] })).toEqual(["i-0b0000000000000b1 terminated"]);
        const node = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: ["i-0b0000000000000b1"] }] }));
        expect(node.InstanceInformationList?.[0]?.PingStatus).toBe("ConnectionLost");
      });

      it("a command sent to an instance that terminates before delivery never reaches it: DeliveryTimedOut at its delivery timeout; nothing is applied", async () => {
        const sent = await ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: ["i-0b0000000000000b2"], TimeoutSeconds: 600, Parameters: { commands: ["true"] } }));
        const commandId = sent.Command?.CommandId ?? "";
        const status = async () => {
          const inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: "i-0b0000000000000b2" }));
          return `${inv.Status} ${inv.StatusDetails}`;
        };
        // (a command the agent had started instead stays InProgress until its executionTimeout: test/workflows/server-auto-scaling.test.ts, scale-in)
        await ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0b0000000000000b2"] }));
        h.clock.advance(300);
        expect(await status()).toBe("Pending Pending");
        h.clock.advance(300);
        expect(await status()).toBe("TimedOut DeliveryTimedOut");
      });

      it("EC2 refuses unknown and malformed ids and unknown filters with its error codes", async () => {
        const missing = await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0fffffffffffffff1"] })));
        expect([missing.name, missing.message]).toEqual(["InvalidInstanceID.NotFound", "The instance ID 'i-0fffffffffffffff1' does not exist"]);
        expect((await failure(ec2.send(new TerminateInstancesCommand({ InstanceIds: ["web-1"] })))).name).toBe("InvalidInstanceID.Malformed");
        expect((await failure(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "vpc-id", Values: ["vpc-1"] }] })))).name).toBe("InvalidParameterValue");
        expect((await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0b0000000000000b1"], MaxResults: 5 })))).name).toBe("InvalidParameterCombination");
      });

      it("a copied group launches its desired capacity Pending, InService 30 s later, SSM managed nodes with the group's tags; ForceDelete terminates them", async () => {
        await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg-green", LaunchTemplate: { LaunchTemplateName: "orders-web", Version: "$Latest" }, MinSize: 0, MaxSize: 4, DesiredCapacity: 3, Tags: [{ Key: "app", Value: "orders", PropagateAtLaunch: true }] }));
        let g = await group("orders-asg-green");
        expect(g?.Instances?.map((i) => i.LifecycleState)).toEqual(["Pending", "Pending", "Pending"]);
        expect([g?.LaunchTemplate?.LaunchTemplateName, g?.DesiredCapacity, g?.Tags?.[0]?.Key]).toEqual(["orders-web", 3, "app"]);
        h.clock.advance(30);
        g = await group("orders-asg-green");
        expect(g?.Instances?.map((i) => i.LifecycleState)).toEqual(["InService", "InService", "InService"]);
        const nodes = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "tag:aws:autoscaling:groupName", Values: ["orders-asg-green"] }] }));
        expect(nodes.InstanceInformationList?.map((n) => n.InstanceId).sort()).toEqual(g?.Instances?.map((i) => i.InstanceId).sort());
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg-green", DesiredCapacity: 2 }));
        expect((await group("orders-asg-green"))?.Instances?.map((i) => i.LifecycleState)).toEqual(["InService", "InService", "Terminating"]);
        const inUse = await failure(asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg-green" })));
        expect(inUse.name).toBe("ResourceInUseFault");
        await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg-green", ForceDelete: true }));
        expect((await group("orders-asg-green"))?.Status).toBe("Delete in progress");
        h.clock.advance(30);
        expect(await group("orders-asg-green")).toBeUndefined();
      });

      it("a scale-out (timeline desiredCapacity) announces each launch with EC2 Instance Launch Successful once InService; a launch terminated while pending never is", async () => {
        const launches = () => h.account.serviceEvents.filter((e) => e.source === "aws.autoscaling").map((e) => `${e.atSeconds} ${e.detailType} ${(e.detail as { AutoScalingGroupName: string; EC2InstanceId: string }).AutoScalingGroupName} ${(e.detail as { EC2InstanceId: string }).EC2InstanceId}`);
        const t0 = h.clock.elapsedSeconds();
        h.account.applyTimeline([{ atSeconds: t0 + 10, autoScaling: "orders-asg", desiredCapacity: 3 }]);
        h.clock.advance(10);
        const added = (await group("orders-asg"))?.Instances?.at(-1)?.InstanceId ?? "";
        expect(launches()).toEqual([]);
        h.clock.advance(40);
        expect(launches()).toEqual([`${t0 + 40} EC2 Instance Launch Successful orders-asg ${added}`]);
        const event = h.account.serviceEvents.find((e) => e.source === "aws.autoscaling");
        expect(event?.resources).toEqual([expect.stringMatching(/^arn:aws:autoscaling:.*autoScalingGroupName\/orders-asg$/), expect.stringMatching(new RegExp(`:instance/${added}$`))]);
        expect(event?.detail).toMatchObject({ StatusCode: "InProgress", Description: `Launching a new EC2 instance: ${added}`, EC2InstanceId: added });
        // up to 4, then back to 3 before the new one is InService: it terminates pending and is never announced
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg", DesiredCapacity: 4 }));
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg", DesiredCapacity: 3 }));
        h.clock.advance(60);
        expect(launches()).toHaveLength(1);
        expect(() => h.account.applyTimeline([{ atSeconds: 0, autoScaling: "orders-asg" }])).toThrow(/desiredCapacity/);
      });

      it("a launch hook holds a launch in Pending:Wait with an EC2 Instance-launch Lifecycle Action; CONTINUE puts it InService, ABANDON terminates and replaces it", async () => {
        const hook = (name: string, extra: Record<string, unknown> = {}) => asg.send(new PutLifecycleHookCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: name, LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", ...extra }));
        await hook("deploy", { HeartbeatTimeout: 120 });
        // PutLifecycleHook creates or updates: a second call keeps one hook; the transition is kept, defaults are AWS's
        await hook("deploy", { LifecycleTransition: undefined, HeartbeatTimeout: 120 });
        expect((await asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: "orders-asg" }))).LifecycleHooks).toEqual([expect.objectContaining({ LifecycleHookName: "deploy", LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 120, GlobalTimeout: 12000, DefaultResult: "ABANDON" })]);
        const actions = () => h.account.serviceEvents.filter((e) => e.detailType === "EC2 Instance-launch Lifecycle Action").map((e) => e.detail as { EC2InstanceId: string; LifecycleActionToken: string; LifecycleHookName: string });
        const states = async () => (await group("orders-asg"))?.Instances?.map((i) => i.LifecycleState);
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg", DesiredCapacity: 4 }));
        h.clock.advance(30);
        expect(await states()).toEqual(["InService", "InService", "Pending:Wait", "Pending:Wait"]);
        const [a, b] = actions();
        expect(actions().map((d) => d.LifecycleHookName)).toEqual(["deploy", "deploy"]);
        expect(h.account.serviceEvents.filter((e) => e.detailType === "EC2 Instance Launch Successful")).toHaveLength(0);
        await asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "deploy", LifecycleActionToken: a?.LifecycleActionToken, LifecycleActionResult: "CONTINUE" }));
        expect(await states()).toEqual(["InService", "InService", "InService", "Pending:Wait"]);
        expect(h.account.serviceEvents.filter((e) => e.detailType === "EC2 Instance Launch Successful").map((e) => (e.detail as { EC2InstanceId: string }).EC2InstanceId)).toEqual([a?.EC2InstanceId]);
        // a completed token is gone; so is an instance with no action
        const again = await failure(asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "deploy", LifecycleActionToken: a?.LifecycleActionToken, LifecycleActionResult: "CONTINUE" })));
        expect([again.name, again.message]).toEqual(["ValidationError", `No active Lifecycle Action found with token ${a?.LifecycleActionToken}`]);
        expect((await failure(asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "deploy", InstanceId: a?.EC2InstanceId, LifecycleActionResult: "ABANDON" })))).message).toBe(`No active Lifecycle Action found with instance ID ${a?.EC2InstanceId}`);
        expect((await failure(asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "deploy", InstanceId: b?.EC2InstanceId, LifecycleActionResult: "MAYBE" })))).name).toBe("ValidationError");
        expect((await failure(asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "other", InstanceId: b?.EC2InstanceId, LifecycleActionResult: "CONTINUE" })))).name).toBe("ValidationError");
        // a heartbeat at 100 s pushes the timeout to 220 s; then the DefaultResult ABANDON terminates it and the group launches a replacement
        h.clock.advance(70);
        await asg.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "deploy", InstanceId: b?.EC2InstanceId }));
        h.clock.advance(100);
        expect(await states()).toEqual(["InService", "InService", "InService", "Pending:Wait"]);
        h.clock.advance(30);
        expect(await states()).toEqual(["InService", "InService", "InService", "Terminating", "Pending"]);
      });

      it("a termination hook holds a scale-in's instance in Terminating:Wait (still running) with an EC2 Instance-terminate Lifecycle Action; CONTINUE or the heartbeat timeout's DefaultResult terminates it", async () => {
        await asg.send(new PutLifecycleHookCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "drain", LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 60, DefaultResult: "CONTINUE" }));
        const actions = () => h.account.serviceEvents.filter((e) => e.detailType === "EC2 Instance-terminate Lifecycle Action").map((e) => e.detail as Record<string, string>);
        const states = async () => (await group("orders-asg"))?.Instances?.map((i) => i.LifecycleState);
        const [first, second] = ((await group("orders-asg"))?.Instances ?? []).map((i) => i.InstanceId as string);
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg", DesiredCapacity: 1 }));
        expect(await states()).toEqual(["InService", "Terminating:Wait"]);
        expect(await ids({ InstanceIds: [second as string] })).toEqual([`${second} running`]);
        expect(actions()).toEqual([expect.objectContaining({ Origin: "AutoScalingGroup", Destination: "EC2", AutoScalingGroupName: "orders-asg", LifecycleHookName: "drain", EC2InstanceId: second, LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" })]);
        // the group does not replace an instance in Terminating:Wait, nor hold it twice
        h.clock.advance(10);
        expect(await states()).toEqual(["InService", "Terminating:Wait"]);
        expect(actions()).toHaveLength(1);
        await asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "drain", LifecycleActionToken: actions()[0]?.LifecycleActionToken, LifecycleActionResult: "CONTINUE" }));
        expect(await states()).toEqual(["InService", "Terminating"]);
        expect(await ids({ InstanceIds: [second as string] })).toEqual([`${second} shutting-down`]);
        // nobody completes the next one: at the heartbeat timeout (60 s) the DefaultResult CONTINUE terminates it
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "orders-asg", MinSize: 0, DesiredCapacity: 0 }));
        expect((await states())?.[0]).toBe("Terminating:Wait");
        h.clock.advance(59);
        expect(await ids({ InstanceIds: [first as string] })).toEqual([`${first} running`]);
        h.clock.advance(1);
        expect(await ids({ InstanceIds: [first as string] })).toEqual([`${first} shutting-down`]);
      });

      it("PutLifecycleHook refuses an unknown group, a missing or unknown transition, a heartbeat outside 30-7200 s and a bad default result", async () => {
        const put = (extra: Record<string, unknown>) => failure(asg.send(new PutLifecycleHookCommand({ AutoScalingGroupName: "orders-asg", LifecycleHookName: "h", LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", ...extra })));
        expect((await put({ AutoScalingGroupName: "nope" })).message).toBe("AutoScalingGroup name not found - AutoScalingGroup 'nope' not found");
        expect((await put({ LifecycleTransition: undefined })).message).toContain("LifecycleTransition is required");
        expect((await put({ LifecycleTransition: "autoscaling:EC2_INSTANCE_REBOOTING" })).message).toContain("Invalid Lifecycle Transition");
        expect((await put({ HeartbeatTimeout: 29 })).message).toContain("between 30 and 7200");
        expect((await put({ HeartbeatTimeout: 7201 })).message).toContain("between 30 and 7200");
        expect((await put({ DefaultResult: "RETRY" })).name).toBe("ValidationError");
        expect((await put({ LifecycleHookName: "no spaces" })).name).toBe("ValidationError");
      });

      it("Auto Scaling refuses a duplicate name, bad bounds, an unknown launch template and an unknown group", async () => {
        const create = (name: string, extra: Record<string, unknown> = {}) => asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateName: "orders-web" }, MinSize: 1, MaxSize: 2, ...extra }));
        expect((await failure(create("orders-asg"))).name).toBe("AlreadyExistsFault");
        const bounds = await failure(create("x", { DesiredCapacity: 3 }));
        expect([bounds.name, bounds.message]).toEqual(["ValidationError", "Desired capacity:3 must be between the specified min size:1 and max size:2"]);
        expect((await failure(create("y", { LaunchTemplate: { LaunchTemplateName: "nope" } }))).message).toContain("does not exist");
        const gone = await failure(asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "nope", DesiredCapacity: 1 })));
        expect([gone.name, gone.message]).toEqual(["ValidationError", "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found"]);
      });
    },
  );
});
