import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { grantedActions, iamActions } from "../../support/iam-calls.js";

/** The SDK-call -> IAM-action table and the role reader behind the pipeline IAM coverage check (test/workflows/pipeline-scenarios.test.ts). */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

describe("iamActions", () => {
  it.each([
    ["S3", "GetObjectCommand", {}, ["s3:GetObject"]],
    ["S3", "GetObjectCommand", { VersionId: "v1" }, ["s3:GetObjectVersion"]],
    ["S3", "HeadObjectCommand", {}, ["s3:GetObject"]],
    ["S3", "CopyObjectCommand", { CopySource: "b/k?versionId=v1" }, ["s3:GetObjectVersion", "s3:PutObject"]],
    ["S3", "CopyObjectCommand", { CopySource: "b/k" }, ["s3:GetObject", "s3:PutObject"]],
    ["Lambda", "InvokeCommand", {}, ["lambda:InvokeFunction"]],
    ["Elastic Beanstalk", "DescribeEventsCommand", {}, ["elasticbeanstalk:DescribeEvents"]],
    ["SFN", "SendTaskSuccessCommand", {}, ["states:SendTaskSuccess"]],
    ["EventBridge", "PutEventsCommand", {}, ["events:PutEvents"]],
    ["Mystery", "DoCommand", {}, ["unknown(Mystery):Do"]],
  ])("%s %s %j -> %j", (service, command, input, actions) => {
    expect(iamActions(service, command, input)).toEqual(actions);
  });
});

describe("grantedActions (serverless.yml)", () => {
  it("reads the role's inline policies and the managed policies attached to it", () => {
    const run = grantedActions(ROOT, "pipelineRunAction");
    expect(run).toContain("ecs:RegisterTaskDefinition"); // PipelineEcsDeployPolicy, attached to the role
    expect(run).toContain("s3:GetObjectVersion");
    expect(run).not.toContain("elasticbeanstalk:DescribeEvents");
  });
  it("the poll function writes artifacts and creates stacks, but starts no other CloudFormation operation", () => {
    const poll = grantedActions(ROOT, "pipelinePollAction");
    expect(poll).toContain("s3:PutObject");
    expect([...poll].filter((a) => a.startsWith("cloudformation:")).sort()).toEqual(["cloudformation:CreateStack", "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks"]);
  });
  it("names a function without a role", () => {
    expect(() => grantedActions(ROOT, "noSuchFunction")).toThrow("noSuchFunction: no role in serverless.yml");
  });
});
