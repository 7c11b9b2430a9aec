import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler as createBuild } from "../../../functions/handlers/buildDeployment.js";
import { createHandler as createDispatch } from "../../../functions/handlers/dispatchRelease.js";
import { createHandler as createPlan } from "../../../functions/handlers/planRelease.js";
import { createHandler as createUpload } from "../../../functions/handlers/uploadCodePackage.js";
import type { ReleaseEvent } from "../../../functions/lib/release-input.js";
import { FakeAlarms } from "../../support/fakes/alarms.js";
import { FakeBundleStore } from "../../support/fakes/bundle-store.js";
import { FakeExecutions } from "../../support/fakes/executions.js";
import { FakeLambdaAliases } from "../../support/fakes/lambda-alias.js";
import { FakeLambdaCode } from "../../support/fakes/lambda-code.js";

/**
 * The four release handlers on in-memory ports: what each may read and write, and above all that a
 * refused release never reaches UpdateFunctionCode.
 */
const SOURCES = JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources as Record<string, unknown>[];
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-test-release";
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const log = () => silent;
const CONTEXT = { invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:stepdeploy-test-planRelease" };

const appspec = (name: string, alias = "live", hooks = "  - BeforeAllowTraffic: CodeDeployHook_orders_preTraffic\n") =>
  `version: 0.0\nResources:\n  - f:\n      Type: AWS::Lambda::Function\n      Properties:\n        Name: ${name}\n        Alias: ${alias}\n        CurrentVersion: "3"\n        TargetVersion: "<TARGET_VERSION>"\nHooks:\n${hooks}`;

function world() {
  const ports = {
    bundles: new FakeBundleStore(),
    lambda: new FakeLambdaAliases().set("orders", "live", "3").set("billing", "live", "2"),
    lambdaCode: new FakeLambdaCode().add("orders", 4).add("billing", 2).add("CodeDeployHook_orders_preTraffic"),
    alarms: new FakeAlarms().set("orders-errors", "OK"),
    executions: new FakeExecutions(),
    log,
  };
  return ports;
}

const s3Event = (key = "orders-api/r.zip", etag = "e1") => ({ source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "orders-releases" }, object: { key, etag, sequencer: "01" } } });

/** Dispatches the event and returns the release input the dispatcher wrote (what the workflow hands each task). */
async function dispatched(w: ReturnType<typeof world>, event = s3Event()): Promise<ReleaseEvent> {
  const result = await createDispatch(w)(event);
  expect(result.started).toHaveLength(1);
  return w.executions.started.get(result.started[0]?.executionArn ?? "")?.input as ReleaseEvent;
}

beforeEach(() => {
  vi.stubEnv("RELEASE_SOURCES", JSON.stringify(SOURCES));
  vi.stubEnv("RELEASE_STATE_MACHINE_ARN", MACHINE);
  vi.stubEnv("HOOK_FUNCTION_PATTERN", "CodeDeployHook_*");
  vi.stubEnv("OWN_FUNCTION_PREFIX", "stepdeploy-");
  vi.stubEnv("AWS_REGION", "us-east-1");
});
afterEach(() => vi.unstubAllEnvs());

describe("dispatchRelease", () => {
  it("starts one release per upload however often it is delivered, and ignores what no source owns", async () => {
    const w = world();
    const dispatch = createDispatch(w);
    const first = await dispatch(s3Event());
    const again = await dispatch(s3Event());
    expect(again.duplicates.map((d) => d.executionArn)).toEqual(first.started.map((s) => s.executionArn));
    expect(await dispatch(s3Event("elsewhere/r.zip"))).toEqual({ started: [], duplicates: [], ignored: ["no release source for s3://orders-releases/elsewhere/r.zip"] });
    expect(w.executions.started.size).toBe(1);
  });

  it("fails loudly on a broken configuration, naming the field", async () => {
    vi.stubEnv("RELEASE_SOURCES", JSON.stringify([{ ...SOURCES[0], functions: [] }]));
    await expect(createDispatch(world())(s3Event())).rejects.toMatchObject({ name: "Release.InvalidConfiguration", message: expect.stringContaining("[0].functions: is required") });
  });
});

describe("planRelease", () => {
  it("plans an upload for the source's own function, reading the alias, the versions, the hooks and the alarms", async () => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": appspec("orders"), "function.zip": "code" });
    const plan = await createPlan(w)(await dispatched(w), CONTEXT);
    expect(plan).toMatchObject({ functionName: "orders", alias: "live", currentVersion: "3", targetVersion: null, publish: { kind: "zip" } });
    expect(plan.deployment).toMatchObject({ functionName: "orders", currentVersion: "3", targetVersion: null, alarms: ["orders-errors"] });
    expect(w.lambda.reads).toEqual(["orders:live"]);
    expect(w.lambdaCode.uploads).toEqual([]);
  });

  // Issue 8 item 1, as measured: an upload under orders-api/ whose appspec names billing used to
  // publish billing's code and move billing:live. Now it is refused before the account is even read.
  it.each([
    ["another function", appspec("billing"), "Release.TargetNotAllowed", "names billing:live, which release source 'orders-api' may not deploy"],
    ["stepdeploy itself", appspec("stepdeploy-test-planRelease"), "Release.TargetNotAllowed", "one of stepdeploy's own functions"],
    ["a hook outside hookFunctionPattern", appspec("orders", "live", "  - AfterAllowTraffic: billing\n"), "Release.HookNotAllowed", "billing does not match hookFunctionPattern"],
  ])("refuses an appspec naming %s without reading or writing any function", async (_what, text, name, message) => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": text, "function.zip": "code" });
    await expect(createPlan(w)(await dispatched(w), CONTEXT)).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    expect(w.lambda.reads).toEqual([]);
    expect(w.lambdaCode.uploads).toEqual([]);
  });

  it.each([
    ["the alias splits traffic", (w: ReturnType<typeof world>) => w.lambda.set("orders", "live", "3", { "2": 0.1 }), "Deploy.VersionMismatch"],
    ["the alias moved on", (w: ReturnType<typeof world>) => w.lambda.set("orders", "live", "4"), "Deploy.VersionMismatch"],
    ["the hook does not exist", (w: ReturnType<typeof world>) => w.lambdaCode.versions.delete("CodeDeployHook_orders_preTraffic"), "Deploy.ResourceNotFound"],
    ["the alarm is firing", (w: ReturnType<typeof world>) => w.alarms.set("orders-errors", "ALARM"), "Deploy.AlarmTriggered"],
  ])("refuses when %s, before any code is uploaded", async (_what, change, name) => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": appspec("orders"), "function.zip": "code" });
    change(w);
    await expect(createPlan(w)(await dispatched(w), CONTEXT)).rejects.toMatchObject({ name });
    expect(w.lambdaCode.uploads).toEqual([]);
  });

  it("runs with the deployed configuration only: a hand-written source that differs is refused", async () => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": appspec("billing"), "function.zip": "code" });
    const input = await dispatched(w);
    const widened = { ...input, source: { ...(input.source as object), functions: [{ name: "billing", alias: "live" }] } };
    await expect(createPlan(w)(widened, CONTEXT)).rejects.toMatchObject({ name: "Release.InvalidConfiguration", message: expect.stringContaining("differs from the stage's configuration of 'orders-api'") });
    expect(w.bundles.reads).toEqual([]);
  });

  it("fails closed without the stack's settings, naming the variable", async () => {
    vi.stubEnv("HOOK_FUNCTION_PATTERN", "");
    vi.stubEnv("OWN_FUNCTION_PREFIX", "");
    const w = world();
    await expect(createPlan(w)(await dispatched(w), CONTEXT)).rejects.toMatchObject({
      name: "Release.InvalidConfiguration",
      message: expect.stringMatching(/HOOK_FUNCTION_PATTERN: '' is not a function-name pattern.*OWN_FUNCTION_PREFIX/),
    });
  });
});

describe("uploadCodePackage and buildDeployment", () => {
  it("upload exactly the package to the planned function, then build the deployment of the published version", async () => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": appspec("orders"), "function.zip": "code" });
    const input = await dispatched(w);
    const plan = await createPlan(w)(input, CONTEXT);
    const uploaded = await createUpload(w)({ ...input, plan });
    expect(w.lambdaCode.uploads).toEqual([{ functionName: "orders", codeSha256: uploaded.codeSha256 }]);
    const built = await createBuild(w)({ ...input, plan, published: { Version: "5" } });
    expect(built).toMatchObject({ skip: false, deployment: { functionName: "orders", currentVersion: "3", targetVersion: "5", deploymentId: input.deploymentId } });
    expect(await createBuild(w)({ ...input, plan, published: { Version: "3" } })).toMatchObject({ skip: true, reason: "orders:live already serves version 3" });
  });

  it("refuses code that Lambda reports under another CodeSha256", async () => {
    const w = world();
    w.bundles.put("orders-releases", "orders-api/r.zip", { "appspec.yml": appspec("orders"), "function.zip": "code" });
    const input = await dispatched(w);
    const plan = await createPlan(w)(input, CONTEXT);
    w.lambdaCode.reportedSha = "someone-elses-code";
    await expect(createUpload(w)({ ...input, plan })).rejects.toMatchObject({ name: "Release.CodeShaMismatch" });
  });
});
