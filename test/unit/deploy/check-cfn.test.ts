// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { beforeAll, describe, expect, it } from "vitest";
import { checkTemplate, type Finding, loadSpecLookup, type SpecLookup } from "../../../scripts/check-cfn.js";

let spec: SpecLookup;
beforeAll(async () => {
  spec = await loadSpecLookup();
});

const role = (statements: unknown[]) => ({
  Type: "AWS::IAM::Role",
  Properties: {
    AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    Policies: [{ PolicyName: "p", PolicyDocument: { Version: "2012-10-17", Statement: statements } }],
  },
});
const bus = { Type: "AWS::Events::EventBus", Properties: { Name: "b" } };
// biome-ignore lint/suspicious/noExplicitAny: templates under test are deliberately malformed
const errors = (template: any): string[] => checkTemplate(template, spec).filter((f: Finding) => f.level === "error").map((f) => `${f.where}: ${f.message}`);

describe("checkTemplate", () => {
  it("passes a small well-formed template", () => {
    const t = {
      Resources: {
        Bus: bus,
        Role: role([{ Effect: "Allow", Action: ["events:PutEvents"], Resource: { "Fn::GetAtt": ["Bus", "Arn"] } }]),
      },
      Outputs: { BusName: { Value: { Ref: "Bus" } }, Arn: { Value: { "Fn::Sub": "${Bus.Arn}/${AWS::Region}" } } },
    };
    expect(errors(t)).toEqual([]);
  });

  it("rejects unknown types, unknown properties, missing required properties and unknown resource keys", () => {
    const e = errors({
      Resources: {
        A: { Type: "AWS::Nope::Thing", Properties: {} },
        B: { Type: "AWS::Events::EventBus", Properties: { Name: "x", Colour: "red" } },
        C: { Type: "AWS::Events::EventBus", Properties: {} },
        D: { Type: "AWS::Events::EventBus", Properties: { Name: "y" }, DependOn: "A" },
      },
    });
    expect(e).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/A: unknown resource type AWS::Nope::Thing/),
        expect.stringMatching(/B\.Properties: .* no property 'Colour'/),
        expect.stringMatching(/C\.Properties: .* requires 'Name'/),
        expect.stringMatching(/D: unknown resource attribute 'DependOn'/),
      ]),
    );
  });

  it("rejects dangling Ref, GetAtt, Fn::Sub and DependsOn targets, and attributes the type lacks", () => {
    const e = errors({
      Resources: { Bus: { ...bus, DependsOn: ["Ghost"] } },
      Outputs: {
        A: { Value: { Ref: "Missing" } },
        B: { Value: { "Fn::GetAtt": ["Missing", "Arn"] } },
        C: { Value: { "Fn::GetAtt": ["Bus", "Colour"] } },
        D: { Value: { "Fn::Sub": ["${Known}-${Unknown}", { Known: "k" }] } },
      },
    });
    expect(e).toEqual([
      expect.stringMatching(/DependsOn target 'Ghost'/),
      expect.stringMatching(/Ref target 'Missing'/),
      expect.stringMatching(/GetAtt target 'Missing'/),
      expect.stringMatching(/has no attribute 'Colour'/),
      expect.stringMatching(/Ref target 'Unknown'/),
    ]);
  });

  it("rejects wildcard actions, NotAction and unjustified Resource '*', but not in Deny statements", () => {
    const e = errors({
      Resources: {
        R: role([
          { Sid: "Star", Effect: "Allow", Action: "lambda:*", Resource: "arn:aws:lambda:us-east-1:1:function:x" },
          { Sid: "Prefix", Effect: "Allow", Action: ["lambda:Get*"], Resource: "arn:aws:lambda:us-east-1:1:function:x" },
          { Sid: "Not", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:lambda:us-east-1:1:function:x" },
          { Sid: "Everything", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" },
          { Sid: "Alarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" },
          { Sid: "Deny", Effect: "Deny", Action: "*", Resource: "*" },
        ]),
      },
    });
    expect(e).toEqual([
      expect.stringMatching(/\(Star\): wildcard action 'lambda:\*'/),
      expect.stringMatching(/\(Prefix\): wildcard action 'lambda:Get\*'/),
      expect.stringMatching(/\(Not\): Allow with NotAction/),
      expect.stringMatching(/\(Everything\): Resource "\*" for lambda:InvokeFunction/),
    ]);
  });

  it("allows Resource '*' for SendTaskSuccess/SendTaskFailure (no resource-level permissions), but not with a scopable action", () => {
    const t = {
      Resources: {
        Bus: bus,
        R: role([
          { Sid: "Tokens", Effect: "Allow", Action: ["states:SendTaskSuccess", "states:SendTaskFailure"], Resource: "*" },
          { Sid: "Mixed", Effect: "Allow", Action: ["states:SendTaskSuccess", "states:StartExecution"], Resource: "*" },
          { Sid: "Heartbeat", Effect: "Allow", Action: ["states:SendTaskHeartbeat"], Resource: "*" },
        ]),
      },
    };
    expect(errors(t)).toEqual([expect.stringMatching(/\(Mixed\): Resource "\*" for states:StartExecution/), expect.stringMatching(/\(Heartbeat\): Resource "\*" for states:SendTaskHeartbeat/)]);
    const notes = checkTemplate(t as never, spec).filter((f) => f.level === "note");
    expect(notes).toEqual([expect.objectContaining({ where: expect.stringContaining("(Tokens)"), message: expect.stringContaining("no resource-level permissions") })]);
  });
});
