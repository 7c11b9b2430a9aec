import { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeSetVerdict, failureReason, requestToken, resolveOverrides, resumeOwnOperation, stackVerdict, templateDelivery } from "../../../functions/domain/pipeline/execution/cloudformation.js";
import { createCloudFormationAdapter } from "../../../functions/adapters/cloudformation.js";
import { unzipFiles, zipFiles } from "../../../functions/lib/zip-files.js";
import type { DeclaredAction } from "../../../functions/services/pipeline/actions.js";
import { type CloudFormationAnswer, type CloudFormationDeployDeps, pollCloudFormationDeploy, startCloudFormationDeploy } from "../../../functions/services/pipeline/cloudformation-deploy.js";
import { cloudFormationWorldOf } from "../../../local/account/cloudformation/index.js";
import { s3Location } from "../../../local/account/cloudformation/world.js";
import { FakeArtifactStore } from "../../support/fakes/artifact-store.js";
import { failure, type Harness, startAccount } from "../account/helpers.js";

/**
 * The CloudFormation deploy action through the real adapter on the simulated account's
 * CloudFormation, called as the compiled poll loop calls it: start, then a look every
 * `nextPollSeconds` of simulated time until done.
 */
const BUCKET = (tag = "v1") => ({
  Parameters: { Stage: { Type: "String" }, Build: { Type: "String", Default: "none" } },
  Resources: { Bucket: { Type: "AWS::S3::Bucket", Properties: { Tags: [{ Key: "release", Value: tag }] } } },
  Outputs: { BucketName: { Value: { Ref: "Bucket" } }, Stage: { Value: { Ref: "Stage" } }, Build: { Value: { Ref: "Build" } } },
});
const FAILING = { Resources: { Broken: { Type: "AWS::SQS::Queue", Metadata: { "stepdeploy:simulate": { fail: "Queue name already exists" } } } } };
const SRC = { name: "Src", bucket: "art", key: "p/Src/1.zip" };
const OUT = { name: "StackOut", bucket: "art", key: "p/StackOut/1.zip" };
const action = (configuration: Record<string, string>): DeclaredAction =>
  ({ stage: "Deploy", name: "Stack", actionTypeId: { category: "Deploy", owner: "AWS", provider: "CloudFormation", version: "1" }, configuration, inputArtifacts: ["Src"], outputArtifacts: ["StackOut"], runOrder: 1 }) as never;
const enc = (t: string) => new TextEncoder().encode(t);

let h: Harness;
let deps: CloudFormationDeployDeps;
let artifacts: FakeArtifactStore;
let client: CloudFormationClient;

beforeEach(async () => {
  h = await startAccount({ cloudformation: { stacks: [{ name: "broken", template: FAILING }] } });
  client = new CloudFormationClient({ ...h.config, maxAttempts: 1 });
  artifacts = new FakeArtifactStore();
  deps = { artifacts, cloudformation: createCloudFormationAdapter(client), clock: { nowMs: () => h.clock.now() } };
});
afterEach(async () => {
  client.destroy();
  await h.close();
});

async function source(files: Record<string, unknown>) {
  artifacts.put(SRC.bucket, SRC.key, await zipFiles(Object.entries(files).map(([name, v]) => ({ name, content: enc(typeof v === "string" ? v : JSON.stringify(v)) }))));
}

/** Start, then poll on the simulated clock until done (or throws what the action failed with). */
async function run(configuration: Record<string, string>): Promise<CloudFormationAnswer & { polls: number }> {
  const a = action({ RoleArn: "arn:aws:iam::123456789012:role/cfn", ...configuration });
  let answer = await startCloudFormationDeploy(deps, a, { configuration: a.configuration, inputs: [SRC], outputs: [OUT], deadlineMs: h.clock.now() + 3600_000 });
  let polls = 0;
  while (!answer.done) {
    h.clock.advance(answer.nextPollSeconds);
    answer = await pollCloudFormationDeploy(deps, a, answer.state);
    polls += 1;
  }
  return { ...answer, polls };
}
const status = (name: string) => {
  const w = cloudFormationWorldOf(h.account);
  const s = w?.find(name);
  return s ? w?.status(s).status : undefined;
};

describe("the CloudFormation deploy action on the simulated CloudFormation", () => {
  it("CREATE_UPDATE creates, then updates, then succeeds with no updates; outputs become variables and the OutputFileName JSON", async () => {
    await source({ "template.json": BUCKET(), "config.json": { Parameters: { Stage: "beta", Build: "7" }, Tags: { team: "orders" } } });
    const base = { ActionMode: "CREATE_UPDATE", StackName: "orders", TemplatePath: "Src::template.json", TemplateConfiguration: "Src::config.json", OutputFileName: "outputs.json" };
    const created = await run({ ...base, ParameterOverrides: '{"Stage":"prod"}' });
    expect(status("orders")).toBe("CREATE_COMPLETE");
    expect(created.state.variables).toEqual({ BucketName: expect.stringMatching(/^orders-Bucket-/), Stage: "prod", Build: "7" });
    const file = (await unzipFiles((await artifacts.getObject(OUT)).body)).find((f) => f.name === "outputs.json");
    expect(JSON.parse(new TextDecoder().decode(file?.content))).toEqual(created.state.variables);

    await source({ "template.json": BUCKET("v2"), "config.json": { Parameters: { Stage: "beta", Build: "8" } } });
    const updated = await run({ ...base, ParameterOverrides: '{"Stage":"prod"}' });
    expect([status("orders"), updated.state.variables["Build"], updated.state.summary]).toEqual(["UPDATE_COMPLETE", "8", expect.stringContaining("UpdateStack orders; stack orders UPDATE_COMPLETE")]);

    const same = await run({ ...base, ParameterOverrides: '{"Stage":"prod"}' });
    expect([same.polls, same.state.summary]).toEqual([0, expect.stringContaining("no updates are to be performed")]);
  });

  it("a resource that fails: the action fails with the first failed resource's reason; CREATE_UPDATE then refuses the ROLLBACK_COMPLETE stack, REPLACE_ON_FAILURE deletes and creates it", async () => {
    await source({ "template.json": FAILING, "good.json": BUCKET() });
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "fresh", TemplatePath: "Src::template.json" })).rejects.toMatchObject({
      name: "Pipeline.ActionFailed",
      message: "Deploy.Stack: stack fresh is ROLLBACK_COMPLETE: Broken (AWS::SQS::Queue) CREATE_FAILED: Queue name already exists",
    });
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "broken", TemplatePath: "Src::good.json", ParameterOverrides: '{"Stage":"x"}' })).rejects.toThrow(/ROLLBACK_COMPLETE \(its creation failed\) and cannot be updated/);
    const replaced = await run({ ActionMode: "REPLACE_ON_FAILURE", StackName: "broken", TemplatePath: "Src::good.json", ParameterOverrides: '{"Stage":"x"}' });
    expect([status("broken"), replaced.state.summary]).toEqual(["CREATE_COMPLETE", expect.stringContaining("DeleteStack broken; stack broken deleted; CreateStack broken; stack broken CREATE_COMPLETE")]);
  });

  it("DELETE_ONLY deletes, and a missing stack is a success", async () => {
    await source({});
    const deleted = await run({ ActionMode: "DELETE_ONLY", StackName: "broken" });
    expect([status("broken"), deleted.state.variables]).toEqual([undefined, {}]);
    const again = await run({ ActionMode: "DELETE_ONLY", StackName: "broken" });
    expect([again.polls, again.state.summary]).toEqual([0, "stack broken does not exist: nothing to delete"]);
  });

  it("CHANGE_SET_REPLACE creates the change set without executing it (replacing one of that name); CHANGE_SET_EXECUTE executes it", async () => {
    await source({ "template.json": BUCKET() });
    const replace = { ActionMode: "CHANGE_SET_REPLACE", StackName: "cs", ChangeSetName: "release", TemplatePath: "Src::template.json", ParameterOverrides: '{"Stage":"prod"}' };
    await run(replace);
    expect(status("cs")).toBe("REVIEW_IN_PROGRESS");
    const again = await run(replace);
    expect(again.state.summary).toMatch(/^DeleteChangeSet release; CreateChangeSet release \(CREATE\)/);
    const executed = await run({ ActionMode: "CHANGE_SET_EXECUTE", StackName: "cs", ChangeSetName: "release" });
    expect([status("cs"), executed.state.variables["Stage"]]).toEqual(["CREATE_COMPLETE", "prod"]);
    await run(replace); // the same template again: the change set has no changes
    const nothing = await run({ ActionMode: "CHANGE_SET_EXECUTE", StackName: "cs", ChangeSetName: "release" });
    expect(nothing.state.summary).toContain("change set release has no changes: nothing to execute");
    await expect(run({ ActionMode: "CHANGE_SET_EXECUTE", StackName: "cs", ChangeSetName: "other" })).rejects.toThrow(/the change set does not exist/);
  });

  it("refuses before any change: missing capabilities (CloudFormation's InsufficientCapabilitiesException), a missing template file, a bad Fn::GetParam", async () => {
    await source({ "role.json": { Resources: { Role: { Type: "AWS::IAM::Role" } } }, "params.json": { Stage: "beta" } });
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "iam", TemplatePath: "Src::role.json" })).rejects.toThrow("InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM]");
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "iam", TemplatePath: "Src::nope.json" })).rejects.toThrow("Deploy.Stack: TemplatePath: input artifact Src has no file nope.json (it has: role.json, params.json)");
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "iam", TemplatePath: "Src::role.json", ParameterOverrides: '{"Stage":{"Fn::GetParam":["Src","params.json","Missing"]}}' })).rejects.toThrow("ParameterOverrides.Stage: Fn::GetParam: Src::params.json has no key 'Missing'");
    expect(status("iam")).toBeUndefined();
    const ok = await run({ ActionMode: "CREATE_UPDATE", StackName: "iam", TemplatePath: "Src::role.json", Capabilities: "CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND" });
    expect(status("iam")).toBe("CREATE_COMPLETE");
    expect(ok.done).toBe(true);
  });
});

describe("templates over 51,200 bytes: TemplateURL", () => {
  /** A template of about `bytes` bytes: one bucket whose description pads it. */
  const big = (bytes: number) => ({ Description: "x".repeat(bytes), ...BUCKET() });

  it("a large template is put next to its input artifact and passed as TemplateURL, which the simulated CloudFormation reads; the stack is created", async () => {
    cloudFormationWorldOf(h.account)?.attachObjectReader((bucket, key) => artifacts.versions.get(`${bucket}/${key}`)?.at(-1)?.body);
    await source({ "template.json": big(60_000) });
    deps = { ...deps, config: { region: "us-east-1" } };
    const a = action({ ActionMode: "CREATE_UPDATE", StackName: "large", TemplatePath: "Src::template.json", ParameterOverrides: '{"Stage":"prod"}' });
    let answer = await startCloudFormationDeploy(deps, a, { configuration: a.configuration, inputs: [SRC], outputs: [OUT], deadlineMs: h.clock.now() + 3600_000 });
    // the poll state carries the URL, not 60 KB of template
    expect(answer.state.input).toMatchObject({ templateUrl: "https://art.s3.us-east-1.amazonaws.com/p/Src/1.zip.templates/template.json" });
    expect(answer.state.input?.templateBody).toBeUndefined();
    expect(artifacts.text("art", "p/Src/1.zip.templates/template.json")?.length).toBeGreaterThan(60_000);
    while (!answer.done) {
      h.clock.advance(answer.nextPollSeconds);
      answer = await pollCloudFormationDeploy(deps, a, answer.state);
    }
    expect(status("large")).toBe("CREATE_COMPLETE");
    expect(answer.state.variables["BucketName"]).toMatch(/^large-Bucket-/);
  });

  it("over 1 MB the action fails before any call; the simulated CloudFormation refuses a TemplateBody over 51,200 bytes as CloudFormation does, and a TemplateURL it cannot read", async () => {
    await source({ "template.json": big(1_100_000) });
    await expect(run({ ActionMode: "CREATE_UPDATE", StackName: "huge", TemplatePath: "Src::template.json", ParameterOverrides: '{"Stage":"prod"}' })).rejects.toThrow(/^Deploy\.Stack: the template template\.json is \d+ bytes; CloudFormation takes at most 1048576 bytes \(1 MB\) from S3$/);
    const e1 = await failure(client.send(new CreateStackCommand({ StackName: "inline", TemplateBody: JSON.stringify(big(60_000)) })));
    expect([e1.name, e1.message]).toEqual(["ValidationError", "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200"]);
    const e2 = await failure(client.send(new CreateStackCommand({ StackName: "nowhere", TemplateURL: "https://art.s3.amazonaws.com/missing.json" })));
    expect([e2.name, e2.message]).toEqual(["ValidationError", "TemplateURL must reference a valid S3 object to which you have access."]);
  });

  it.each([
    ["https://art.s3.us-east-1.amazonaws.com/p/a%20b.json", { bucket: "art", key: "p/a b.json" }],
    ["https://art.s3.amazonaws.com/p/t.json?X-Amz-Signature=abc", { bucket: "art", key: "p/t.json" }],
    ["https://s3.eu-west-1.amazonaws.com/art/p/t.json", { bucket: "art", key: "p/t.json" }],
    ["https://example.com/t.json", undefined],
    ["not a url", undefined],
  ])("s3Location(%s)", (url, want) => {
    expect(s3Location(url)).toEqual(want);
  });

  it.each([
    [51_200, "body"],
    [51_201, "url"],
    [1_048_576, "url"],
    [1_048_577, "too-large"],
  ])("templateDelivery of %d bytes: %s", (bytes, kind) => {
    expect(templateDelivery(bytes, { bucket: "art", key: "p/Src/1" }, "t.json", "eu-west-1").kind).toBe(kind);
  });
});

describe("retries after a lost answer: ClientRequestToken", () => {
  const JOB = "0f1e2d3c-4b5a-4697-a887-766554433221";
  const start = (configuration: Record<string, string>, jobId?: string) => {
    const a = action(configuration);
    return startCloudFormationDeploy(deps, a, { configuration: a.configuration, inputs: [SRC], outputs: [OUT], deadlineMs: h.clock.now() + 3600_000, ...(jobId && { jobId }) });
  };
  /** The stack-level *_IN_PROGRESS events of every stack of that name (a deleted one and its replacement). */
  const stackInProgressEvents = (name: string) =>
    (cloudFormationWorldOf(h.account)?.stacks ?? []).filter((x) => x.name === name).flatMap((x) => x.events.filter((e) => e.logicalResourceId === name && e.resourceStatus.endsWith("_IN_PROGRESS")));

  /** A client whose first CreateStack answer is lost after CloudFormation acted on it; the SDK retries the same request. */
  const losingFirstAnswer = () => {
    const lossy = new CloudFormationClient({ ...h.config, maxAttempts: 2 });
    let lost = false;
    lossy.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === "CreateStackCommand" && !lost) {
          lost = true;
          throw Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET", $metadata: {} });
        }
        return out;
      },
      { step: "deserialize", name: "loseFirstAnswer" },
    );
    return lossy;
  };

  it("the SDK's retry of a CreateStack whose answer was lost carries the same token: one operation, the action succeeds", async () => {
    await source({ "template.json": BUCKET() });
    const lossy = losingFirstAnswer();
    deps = { ...deps, cloudformation: createCloudFormationAdapter(lossy) };
    try {
      let answer = await start({ ActionMode: "CREATE_UPDATE", StackName: "orders", TemplatePath: "Src::template.json", ParameterOverrides: '{"Stage":"prod"}' }, JOB);
      while (!answer.done) {
        h.clock.advance(answer.nextPollSeconds);
        answer = await pollCloudFormationDeploy(deps, action({}), answer.state);
      }
      expect(status("orders")).toBe("CREATE_COMPLETE");
      expect(stackInProgressEvents("orders").map((e) => [e.resourceStatus, e.clientRequestToken])).toEqual([["CREATE_IN_PROGRESS", `sd${JOB}-CreateStack`]]);
    } finally {
      lossy.destroy();
    }
  });

  it("without a token the same lost answer makes the retry fail with AlreadyExistsException (why the token is sent)", async () => {
    await source({ "template.json": BUCKET() });
    const lossy = losingFirstAnswer();
    deps = { ...deps, cloudformation: createCloudFormationAdapter(lossy) };
    try {
      await expect(start({ ActionMode: "CREATE_UPDATE", StackName: "orders", TemplatePath: "Src::template.json", ParameterOverrides: '{"Stage":"prod"}' })).rejects.toThrow(/AlreadyExistsException|already exists/);
    } finally {
      lossy.destroy();
    }
  });

  it("a start retried by Step Functions finds the operation its first try started and waits for it; another attempt is refused", async () => {
    await source({ "template.json": FAILING, "good.json": BUCKET() });
    const conf = { ActionMode: "REPLACE_ON_FAILURE", StackName: "broken", TemplatePath: "Src::good.json", ParameterOverrides: '{"Stage":"x"}' };
    const first = await start(conf, JOB); // DeleteStack of the ROLLBACK_COMPLETE stack; its answer "lost"
    expect(first.state.waiting?.operation).toBe("delete");
    const retried = await start(conf, JOB);
    expect(retried).toMatchObject({ done: false, state: { waiting: { operation: "delete" }, pending: [{ call: "CreateStack" }], notes: ["DeleteStack broken (started by an earlier try of this attempt)"] } });
    await expect(start(conf, "another-attempt")).rejects.toThrow("stack broken: the stack is DELETE_IN_PROGRESS; wait until its operation ends");
    let answer = retried;
    while (!answer.done) {
      h.clock.advance(answer.nextPollSeconds);
      answer = await pollCloudFormationDeploy(deps, action(conf), answer.state);
    }
    expect(status("broken")).toBe("CREATE_COMPLETE");
    expect(stackInProgressEvents("broken").map((e) => `${e.resourceStatus} ${e.clientRequestToken ?? "-"}`)).toEqual(["CREATE_IN_PROGRESS -", "ROLLBACK_IN_PROGRESS -", `DELETE_IN_PROGRESS sd${JOB}-DeleteStack`, `CREATE_IN_PROGRESS sd${JOB}-CreateStack`]);
  });
});

describe("CloudFormation action decisions", () => {
  it.each([
    ["CREATE_UPDATE", { resourceStatus: "CREATE_IN_PROGRESS", clientRequestToken: "sdjob-1-CreateStack" }, { operation: "create", pending: [], call: "CreateStack" }],
    ["CREATE_UPDATE", { resourceStatus: "UPDATE_IN_PROGRESS", clientRequestToken: "sdjob-1-UpdateStack" }, { operation: "update", pending: [], call: "UpdateStack" }],
    ["REPLACE_ON_FAILURE", { resourceStatus: "DELETE_IN_PROGRESS", clientRequestToken: "sdjob-1-DeleteStack" }, { operation: "delete", pending: [{ call: "CreateStack" }], call: "DeleteStack" }],
    ["DELETE_ONLY", { resourceStatus: "DELETE_IN_PROGRESS", clientRequestToken: "sdjob-1-DeleteStack" }, { operation: "delete", pending: [], call: "DeleteStack" }],
    ["CHANGE_SET_EXECUTE", { resourceStatus: "CREATE_IN_PROGRESS", clientRequestToken: "sdjob-1-ExecuteChangeSet" }, { operation: "create", pending: [], call: "ExecuteChangeSet" }],
    ["CHANGE_SET_EXECUTE", { resourceStatus: "UPDATE_IN_PROGRESS", clientRequestToken: "sdjob-1-ExecuteChangeSet" }, { operation: "update", pending: [], call: "ExecuteChangeSet" }],
    ["CREATE_UPDATE", { resourceStatus: "UPDATE_IN_PROGRESS", clientRequestToken: "sdjob-2-UpdateStack" }, undefined],
    ["CREATE_UPDATE", { resourceStatus: "UPDATE_IN_PROGRESS" }, undefined],
    ["CREATE_UPDATE", { resourceStatus: "UPDATE_COMPLETE", clientRequestToken: "sdjob-1-UpdateStack" }, undefined],
  ] as const)("resumeOwnOperation %s %j -> %j", (mode, event, want) => {
    expect(resumeOwnOperation(mode, "job-1", event)).toEqual(want);
  });
  it("requestToken: the job id and the call, letters digits and hyphens, at most 128 characters", () => {
    expect(requestToken("0f1e2d3c-4b5a", "CreateStack")).toBe("sd0f1e2d3c-4b5a-CreateStack");
    expect(requestToken("x".repeat(200), "DeleteStack")).toHaveLength(128);
    expect(resumeOwnOperation("CREATE_UPDATE", undefined, { resourceStatus: "CREATE_IN_PROGRESS", clientRequestToken: "sd-CreateStack" })).toBeUndefined();
  });
  const reader = { location: (n: string) => (n === "Src" ? { bucket: "art", key: "p/Src/1.zip" } : undefined), file: (_a: string, f: string) => (f === "p.json" ? '{"Tag":"v7","N":3}' : undefined) };
  it.each([
    ['{"A":"x","B":2,"C":true}', { A: "x", B: "2", C: "true" }],
    ['{"B":{"Fn::GetArtifactAtt":["Src","BucketName"]},"K":{"Fn::GetArtifactAtt":["Src","ObjectKey"]}}', { B: "art", K: "p/Src/1.zip" }],
    ['{"U":{"Fn::GetArtifactAtt":["Src","URL"]}}', { U: "https://art.s3.amazonaws.com/p/Src/1.zip" }],
    ['{"T":{"Fn::GetParam":["Src","p.json","Tag"]},"N":{"Fn::GetParam":["Src","p.json","N"]}}', { T: "v7", N: "3" }],
  ])("ParameterOverrides %s", (text, expected) => expect(resolveOverrides(text, reader)).toEqual(expected));
  it.each([
    ['{"X":{"Fn::GetArtifactAtt":["Other","BucketName"]}}', "ParameterOverrides.X: Fn::GetArtifactAtt names 'Other', which is not an input artifact of the action"],
    ['{"X":{"Fn::GetArtifactAtt":["Src","Arn"]}}', "ParameterOverrides.X: Fn::GetArtifactAtt attribute 'Arn' is not one of BucketName, ObjectKey, URL"],
    ['{"X":["a"]}', "ParameterOverrides.X must be a string, Fn::GetArtifactAtt or Fn::GetParam"],
    ["[1]", "ParameterOverrides must be a JSON object"],
  ])("refuses %s", (text, message) => expect(() => resolveOverrides(text, reader)).toThrow(message));
  it("plain string overrides come back as they are", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "__proto__"), fc.string()), (o) => {
        expect(resolveOverrides(JSON.stringify(o), reader)).toEqual(o);
      }),
    );
  });
  it("an operation in progress is always waited for; only its own end states end it", () => {
    const STATUSES = ["CREATE", "UPDATE", "DELETE", "ROLLBACK", "UPDATE_ROLLBACK", "UPDATE_COMPLETE_CLEANUP", "UPDATE_ROLLBACK_COMPLETE_CLEANUP", "REVIEW", "IMPORT"].flatMap((p) => [`${p}_IN_PROGRESS`, `${p}_COMPLETE`, `${p}_FAILED`]);
    fc.assert(
      fc.property(fc.constantFrom("create", "update", "delete" as const), fc.constantFrom(...STATUSES), (op, st) => {
        const v = stackVerdict(op as "create" | "update" | "delete", st);
        if (st.endsWith("_IN_PROGRESS")) expect(v.kind).toBe("wait");
        if (v.kind === "done") expect(st).toBe({ create: "CREATE_COMPLETE", update: "UPDATE_COMPLETE", delete: "DELETE_COMPLETE" }[op]);
      }),
    );
  });
  it.each([
    ["create", "CREATE_COMPLETE", "done"],
    ["create", "ROLLBACK_COMPLETE", "failed"],
    ["create", "ROLLBACK_IN_PROGRESS", "wait"],
    ["create", undefined, "failed"],
    ["update", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "wait"],
    ["update", "UPDATE_ROLLBACK_COMPLETE", "failed"],
    ["delete", undefined, "done"],
    ["delete", "DELETE_FAILED", "failed"],
  ] as const)("a %s at %s: %s", (op, st, kind) => expect(stackVerdict(op, st).kind).toBe(kind));
  it("a change set that changes nothing is done, another FAILED one fails; the reason is the first failed resource since the operation began", () => {
    expect(changeSetVerdict("FAILED", "The submitted information didn't contain changes. Submit different information to create a change set.")).toEqual({ kind: "done", noChanges: true });
    expect(changeSetVerdict("FAILED", "Template error")).toEqual({ kind: "failed", reason: "Template error" });
    const ev = (id: string, s: string, t: number, reason?: string) => ({ logicalResourceId: id, resourceType: "T", resourceStatus: s, timestamp: t, ...(reason && { reason }) });
    expect(failureReason([ev("B", "CREATE_FAILED", 30, "b"), ev("A", "CREATE_FAILED", 20, "a"), ev("Old", "CREATE_FAILED", 5, "old"), ev("s", "ROLLBACK_IN_PROGRESS", 30)], 10, "s")).toBe("A (T) CREATE_FAILED: a");
    expect(failureReason([], 0, "s", "why")).toBe("why");
  });
});
