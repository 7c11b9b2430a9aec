import { CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand, AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, type DescribeInstancesCommandInput, EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
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
