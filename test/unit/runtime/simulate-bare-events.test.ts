import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { simulateRelease } from "../../../local/simulate/release/run-release.js";
import { loadReleaseScenario } from "../../../local/simulate/release/scenario.js";
import { loadScenario } from "../../../local/simulate/scenario.js";

/**
 * `simulate` of a bare event as AWS sends it. An S3 or ECR event that no release source is
 * configured for is shown with what the stack does with it (the rules do not deliver it, or
 * dispatchRelease ignores it, and why), never with a raw S3 error. Another event type is named,
 * with what in the stack consumes it.
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const BASE = join(ROOT, "events/releases/s3-canary.json");
const tmp = mkdtempSync(join(tmpdir(), "stepdeploy-bare-events-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Sample = { resources?: string[]; detail: Record<string, unknown> & { bucket: { name: string } }; Records: { s3: { bucket: { name: string } } }[] };
const sample = (name: string) => JSON.parse(readFileSync(join(ROOT, "events/triggers", name), "utf8")) as Sample;
const file = (name: string, event: unknown) => {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(event));
  return path;
};

describe("simulate of an S3 or ECR event nobody configured", () => {
  it("an Object Created event for a bucket of no release source: no rule delivers it, the dispatcher would ignore it, no S3 error", async () => {
    const event = sample("s3-object-created.json");
    event.detail.bucket.name = "payments-releases";
    event.resources = ["arn:aws:s3:::payments-releases"];
    const r = await simulateRelease(loadReleaseScenario(file("other-bucket.json", event), BASE));
    expect(r.releases).toEqual([]);
    expect(r.actions[0]).toMatch(/^s3:\/\/payments-releases is not a bucket of this world \(its buckets: orders-releases\): nothing uploaded/);
    expect(r.routing).toMatch(/^no rule of the stack matches it, so stepdeploy-local-dispatchRelease is never invoked \(its rules for aws\.s3 events: .*orders-releases/);
    expect(r.dispatch).toEqual([expect.stringMatching(/: ignored, no release source for s3:\/\/payments-releases\/orders-api\/release-42\.zip$/)]);
    expect(r.publishedVersions).toEqual([]);
  });

  it("an S3 notification (Records[]) for such a bucket reaches the dispatcher directly, which ignores it and says why", async () => {
    const event = sample("s3-notification-records.json");
    (event.Records[0] as Sample["Records"][number]).s3.bucket.name = "payments-releases";
    const r = await simulateRelease(loadReleaseScenario(file("other-bucket-records.json", event), BASE));
    expect(r.releases).toEqual([]);
    expect(r.routing).toMatch(/^an S3 notification \(Records\[\]\): the bucket invokes stepdeploy-local-dispatchRelease itself/);
    expect(r.dispatch).toEqual([expect.stringMatching(/ignored, no release source for s3:\/\/payments-releases\//)]);
  });

  it("an ECR push to a repository of no release source: pushed, not delivered, and the reason the dispatcher would give", async () => {
    const event = sample("ecr-push-success.json");
    event.detail["repository-name"] = "media/resizer";
    const r = await simulateRelease(loadReleaseScenario(file("other-repository.json", event), BASE));
    expect(r.releases).toEqual([]);
    expect(r.routing).toMatch(/never invoked \(its rules for aws\.ecr events: .*media\/thumbnailer/);
    expect(r.dispatch).toEqual([expect.stringMatching(/: ignored, no release source for ECR media\/resizer:release$/)]);
  });
});

describe("simulate of an event type it does not run", () => {
  const alarm = {
    version: "0",
    id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account: "123456789012",
    time: "2026-11-24T09:30:00Z",
    region: "us-east-1",
    resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-errors"],
    detail: { alarmName: "orders-errors", state: { value: "ALARM", reason: "Threshold Crossed" }, previousState: { value: "OK", reason: "" }, configuration: {} },
  };
  const status = (value: string) => ({
    ...alarm,
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    resources: ["arn:aws:states:us-east-1:123456789012:execution:stepdeploy-local-deploy-lambda:d-1"],
    detail: { name: "d-1", status: value, stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-local-deploy-lambda" },
  });

  it.each([
    ["an alarm state change", alarm, /'CloudWatch Alarm State Change' \(source aws\.cloudwatch\).*goes to stepdeploy-local-alarmListener \(functions\/handlers\/alarmListener\.ts\)\..*"alarm": "<alarm name>", "state": "ALARM"/],
    ["an execution that was aborted", status("ABORTED"), /'Step Functions Execution Status Change' \(source aws\.states\).*goes to stepdeploy-local-janitor \(functions\/handlers\/janitor\.ts\)\..*"action": "abort"/],
    ["an execution that started", status("RUNNING"), /No rule of the deployed stack matches it: nothing in stepdeploy acts on it\./],
  ])("%s is named, with what consumes it", (_label, event, message) => {
    const path = file("event.json", event);
    let error: Error | undefined;
    try {
      loadScenario(path);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("Simulate.UnsupportedEvent");
    expect(error?.message).toMatch(message);
  });
});
