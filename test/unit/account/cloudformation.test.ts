import { CloudFormationClient, CreateChangeSetCommand, CreateStackCommand, DeleteChangeSetCommand, DeleteStackCommand, DescribeChangeSetCommand, DescribeStackEventsCommand, DescribeStacksCommand, ExecuteChangeSetCommand, UpdateStackCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { failure, startAccount, TRANSPORTS } from "./helpers.js";

/**
 * The simulated CloudFormation as @aws-sdk/client-cloudformation reaches it (awsQuery): stack
 * operations unfolding on the SimClock, CloudFormation's refusals by name and text.
 */
const BUCKET = { Resources: { Bucket: { Type: "AWS::S3::Bucket" } }, Outputs: { BucketName: { Value: { Ref: "Bucket" } } } };
const WITH_PARAM = (v = "1") => ({
  Parameters: { Size: { Type: "String", Default: "1" } },
  Resources: { Bucket: { Type: "AWS::S3::Bucket", Properties: { Tags: [{ Key: "size", Value: v }] } }, Queue: { Type: "AWS::SQS::Queue" } },
  Outputs: { Size: { Value: { Ref: "Size" } }, Arn: { Value: { "Fn::Sub": `arn:aws:sqs:\${AWS::Region}:\${AWS::AccountId}:\${Queue}` } } },
});
const FAILING = { Resources: { Bucket: { Type: "AWS::S3::Bucket" }, Broken: { Type: "AWS::SQS::Queue", Metadata: { "stepdeploy:simulate": { fail: "Resource handler returned message: \"Queue name already exists\"" } } } } };

describe.each(TRANSPORTS)("simulated CloudFormation (%s)", (transport) => {
  const open = async (setup: unknown = {}) => {
    const h = await startAccount(setup, undefined, transport);
    const cfn = new CloudFormationClient({ ...h.config, maxAttempts: 1 });
    const status = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    return { h, cfn, status, close: async () => {
      cfn.destroy();
      await h.close();
    } };
  };

  it("creates, updates (no updates is a ValidationError), and deletes a stack on the clock, with outputs", async () => {
    const { h, cfn, status, close } = await open();
    try {
      const created = await cfn.send(new CreateStackCommand({ StackName: "app", TemplateBody: JSON.stringify(WITH_PARAM()) }));
      expect(created.StackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/app\//);
      expect((await status("app"))?.StackStatus).toBe("CREATE_IN_PROGRESS");
      h.clock.advance(10);
      const done = await status("app");
      expect(done?.StackStatus).toBe("CREATE_COMPLETE");
      expect(Object.fromEntries((done?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]))).toEqual({ Size: "1", Arn: expect.stringMatching(/^arn:aws:sqs:us-east-1:123456789012:app-Queue-[0-9A-F]{12}$/) });
      const same = await failure(cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: JSON.stringify(WITH_PARAM()) })));
      expect([same.name, same.message]).toEqual(["ValidationError", "No updates are to be performed."]);
      await cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: JSON.stringify(WITH_PARAM()), Parameters: [{ ParameterKey: "Size", ParameterValue: "2" }] }));
      expect((await status("app"))?.StackStatus).toBe("UPDATE_IN_PROGRESS");
      const busy = await failure(cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: JSON.stringify(WITH_PARAM("3")) })));
      expect(busy.message).toMatch(/^Stack:arn:aws:cloudformation:.* is in UPDATE_IN_PROGRESS state and can not be updated\.$/);
      h.clock.advance(5);
      expect((await status("app"))?.StackStatus).toBe("UPDATE_COMPLETE");
      expect((await status("app"))?.Outputs?.find((o) => o.OutputKey === "Size")?.OutputValue).toBe("2");
      await cfn.send(new DeleteStackCommand({ StackName: "app" }));
      h.clock.advance(10);
      const gone = await failure(cfn.send(new DescribeStacksCommand({ StackName: "app" })));
      expect([gone.name, gone.message]).toEqual(["ValidationError", "Stack with id app does not exist"]);
      await cfn.send(new DeleteStackCommand({ StackName: "app" })); // a missing stack: no error
    } finally {
      await close();
    }
  });

  it("a resource that fails rolls the creation back (ROLLBACK_COMPLETE), with the reason in the events; such a stack cannot be updated", async () => {
    const { h, cfn, status, close } = await open();
    try {
      await cfn.send(new CreateStackCommand({ StackName: "bad", TemplateBody: JSON.stringify(FAILING) }));
      h.clock.advance(60);
      expect((await status("bad"))?.StackStatus).toBe("ROLLBACK_COMPLETE");
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: "bad" }))).StackEvents ?? [];
      expect(events[0]?.ResourceStatus).toBe("ROLLBACK_COMPLETE");
      expect(events.find((e) => e.ResourceStatus === "CREATE_FAILED")).toMatchObject({ LogicalResourceId: "Broken", ResourceStatusReason: 'Resource handler returned message: "Queue name already exists"' });
      const refused = await failure(cfn.send(new UpdateStackCommand({ StackName: "bad", TemplateBody: JSON.stringify(BUCKET) })));
      expect(refused.message).toMatch(/is in ROLLBACK_COMPLETE state and can not be updated\.$/);
    } finally {
      await close();
    }
  });

  it("checks capabilities, parameters and the template as CloudFormation does", async () => {
    const { cfn, close } = await open();
    try {
      const role = { Resources: { Role: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {} } } } };
      const iam = await failure(cfn.send(new CreateStackCommand({ StackName: "iam", TemplateBody: JSON.stringify(role) })));
      expect([iam.name, iam.message]).toEqual(["InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"]);
      const named = { Resources: { Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "x" } } } };
      const n = await failure(cfn.send(new CreateStackCommand({ StackName: "iam", TemplateBody: JSON.stringify(named), Capabilities: ["CAPABILITY_IAM"] })));
      expect(n.message).toBe("Requires capabilities : [CAPABILITY_NAMED_IAM]");
      await cfn.send(new CreateStackCommand({ StackName: "iam", TemplateBody: JSON.stringify(role), Capabilities: ["CAPABILITY_IAM"] }));
      const dup = await failure(cfn.send(new CreateStackCommand({ StackName: "iam", TemplateBody: JSON.stringify(role), Capabilities: ["CAPABILITY_IAM"] })));
      expect([dup.name, dup.message]).toEqual(["AlreadyExistsException", "Stack [iam] already exists"]);
      const unknown = await failure(cfn.send(new CreateStackCommand({ StackName: "p", TemplateBody: JSON.stringify(BUCKET), Parameters: [{ ParameterKey: "Nope", ParameterValue: "1" }] })));
      expect(unknown.message).toBe("Parameters: [Nope] do not exist in the template");
      const missing = await failure(cfn.send(new CreateStackCommand({ StackName: "p", TemplateBody: JSON.stringify({ Parameters: { Env: { Type: "String" } }, Resources: BUCKET.Resources }) })));
      expect(missing.message).toBe("Parameters: [Env] must have values");
      const empty = await failure(cfn.send(new CreateStackCommand({ StackName: "p", TemplateBody: "Resources: {}" })));
      expect(empty.message).toBe("Template format error: At least one Resources member must be defined.");
    } finally {
      await close();
    }
  });

  it("change sets: CREATE puts a new stack in REVIEW_IN_PROGRESS, execute creates it; an UPDATE that changes nothing FAILS with CloudFormation's reason", async () => {
    const { h, cfn, status, close } = await open();
    try {
      await cfn.send(new CreateChangeSetCommand({ StackName: "cs", ChangeSetName: "release", ChangeSetType: "CREATE", TemplateBody: JSON.stringify(BUCKET) }));
      expect((await status("cs"))?.StackStatus).toBe("REVIEW_IN_PROGRESS");
      const early = await failure(cfn.send(new ExecuteChangeSetCommand({ StackName: "cs", ChangeSetName: "release" })));
      expect(early.name).toBe("InvalidChangeSetStatusException");
      h.clock.advance(2);
      const ready = await cfn.send(new DescribeChangeSetCommand({ StackName: "cs", ChangeSetName: "release" }));
      expect([ready.Status, ready.ExecutionStatus, ready.Changes?.map((c) => c.ResourceChange?.Action)]).toEqual(["CREATE_COMPLETE", "AVAILABLE", ["Add"]]);
      await cfn.send(new ExecuteChangeSetCommand({ StackName: "cs", ChangeSetName: "release" }));
      h.clock.advance(5);
      expect((await status("cs"))?.StackStatus).toBe("CREATE_COMPLETE");
      await cfn.send(new CreateChangeSetCommand({ StackName: "cs", ChangeSetName: "again", TemplateBody: JSON.stringify(BUCKET) }));
      h.clock.advance(2);
      const none = await cfn.send(new DescribeChangeSetCommand({ StackName: "cs", ChangeSetName: "again" }));
      expect([none.Status, none.ExecutionStatus, none.StatusReason]).toEqual(["FAILED", "UNAVAILABLE", "The submitted information didn't contain changes. Submit different information to create a change set."]);
      await cfn.send(new DeleteChangeSetCommand({ StackName: "cs", ChangeSetName: "again" }));
      const gone = await failure(cfn.send(new DescribeChangeSetCommand({ StackName: "cs", ChangeSetName: "again" })));
      expect([gone.name, gone.message]).toEqual(["ChangeSetNotFoundException", "ChangeSet [again] does not exist"]);
    } finally {
      await close();
    }
  });
});

describe("ClientRequestToken on the simulated CloudFormation", () => {
  it("a retried request with the same token is answered as the first and starts nothing; another token, or none, is refused as before; events carry the token", async () => {
    const h = await startAccount({});
    const cfn = new CloudFormationClient({ ...h.config, maxAttempts: 1 });
    try {
      const body = JSON.stringify(BUCKET);
      const first = await cfn.send(new CreateStackCommand({ StackName: "app", TemplateBody: body, ClientRequestToken: "t-create" }));
      const again = await cfn.send(new CreateStackCommand({ StackName: "app", TemplateBody: body, ClientRequestToken: "t-create" }));
      expect(again.StackId).toBe(first.StackId);
      const other = await failure(cfn.send(new CreateStackCommand({ StackName: "app", TemplateBody: body, ClientRequestToken: "t-other" })));
      expect([other.name, other.message]).toEqual(["AlreadyExistsException", "Stack [app] already exists"]);
      h.clock.advance(10);
      const changed = JSON.stringify({ Resources: { ...BUCKET.Resources, Queue: { Type: "AWS::SQS::Queue" } } });
      await cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: changed, ClientRequestToken: "t-update" }));
      await cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: changed, ClientRequestToken: "t-update" })); // no "UPDATE_IN_PROGRESS state" refusal
      const busy = await failure(cfn.send(new UpdateStackCommand({ StackName: "app", TemplateBody: body })));
      expect(busy.message).toMatch(/is in UPDATE_IN_PROGRESS state and can not be updated\.$/);
      h.clock.advance(10);
      await cfn.send(new DeleteStackCommand({ StackName: "app", ClientRequestToken: "t-delete" }));
      await cfn.send(new DeleteStackCommand({ StackName: "app", ClientRequestToken: "t-delete" }));
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: first.StackId }))).StackEvents ?? [];
      const stackEvents = events.filter((e) => e.LogicalResourceId === "app").reverse();
      expect(stackEvents.map((e) => [e.ResourceStatus, e.ClientRequestToken])).toEqual([
        ["CREATE_IN_PROGRESS", "t-create"],
        ["CREATE_COMPLETE", "t-create"],
        ["UPDATE_IN_PROGRESS", "t-update"],
        ["UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "t-update"],
        ["UPDATE_COMPLETE", "t-update"],
        ["DELETE_IN_PROGRESS", "t-delete"],
      ]);
      expect(events.filter((e) => e.LogicalResourceId === "Bucket").every((e) => e.ClientRequestToken)).toBe(true);
    } finally {
      cfn.destroy();
      await h.close();
    }
  });

  it("ExecuteChangeSet retried with its token does not fail on the change set it is executing", async () => {
    const h = await startAccount({});
    const cfn = new CloudFormationClient({ ...h.config, maxAttempts: 1 });
    try {
      await cfn.send(new CreateChangeSetCommand({ StackName: "app", ChangeSetName: "cs", ChangeSetType: "CREATE", TemplateBody: JSON.stringify(BUCKET) }));
      h.clock.advance(5);
      await cfn.send(new ExecuteChangeSetCommand({ StackName: "app", ChangeSetName: "cs", ClientRequestToken: "t-exec" }));
      await cfn.send(new ExecuteChangeSetCommand({ StackName: "app", ChangeSetName: "cs", ClientRequestToken: "t-exec" }));
      const other = await failure(cfn.send(new ExecuteChangeSetCommand({ StackName: "app", ChangeSetName: "cs" })));
      expect(other.name).toBe("InvalidChangeSetStatusException");
    } finally {
      cfn.destroy();
      await h.close();
    }
  });
});

describe("the CloudFormation setup", () => {
  it("creates stacks settled an hour before (a failing resource leaves ROLLBACK_COMPLETE) and refuses unknown keys", async () => {
    const h = await startAccount({ cloudformation: { stacks: [{ name: "ok", template: BUCKET }, { name: "failed", template: FAILING }] } });
    const cfn = new CloudFormationClient({ ...h.config, maxAttempts: 1 });
    try {
      const stacks = (await cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
      expect(stacks.map((s) => [s.StackName, s.StackStatus])).toEqual([["ok", "CREATE_COMPLETE"], ["failed", "ROLLBACK_COMPLETE"]]);
    } finally {
      cfn.destroy();
      await h.close();
    }
    await expect(startAccount({ cloudformation: { stack: [] } })).rejects.toThrow(/account.cloudformation.stack/);
  });
});
