import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeS3NotificationKey, parseTriggerEvent, releaseDeploymentId, releaseExecutionName, type Trigger, triggerIdentity } from "../../../functions/domain/release/index.js";

const sample = (name: string) => JSON.parse(readFileSync(new URL(`../../../events/triggers/${name}`, import.meta.url), "utf8"));
const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("trigger events", () => {
  it("reads the S3 EventBridge sample: bucket, key as is, version id, etag and sequencer", () => {
    const { triggers, ignored } = parseTriggerEvent(sample("s3-object-created.json"));
    expect(ignored).toEqual([]);
    expect(triggers).toEqual([
      { kind: "s3", form: "eventbridge", bucket: "orders-releases", key: "orders-api/release-42.zip", versionId: "Zb1.0uKJp9mXw3nV7yQkT2sLrE8dH4aF", eTag: "4c9a7f1e0e2f6d1b8a3c5d7e9f0a1b2c", sequencer: "00674305A1B2C3D4E5", size: 1532 },
    ]);
  });

  it("reads the Records[] sample and URL-decodes its key (+ is a space)", () => {
    const { triggers } = parseTriggerEvent(sample("s3-notification-records.json"));
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ kind: "s3", form: "records", key: "orders-api/hot fix 43.zip", eTag: "4c9a7f1e0e2f6d1b8a3c5d7e9f0a1b2c", sequencer: "0055AED6DCD90281E5" });
  });

  it("reads an ECR push and ignores a failed one, naming why", () => {
    expect(parseTriggerEvent(sample("ecr-push-success.json")).triggers[0]).toMatchObject({ kind: "ecr", repository: "media/thumbnailer", tag: "release", region: "us-east-1", account: "123456789012" });
    const failed = parseTriggerEvent(sample("ecr-push-failure.json"));
    expect(failed.triggers).toEqual([]);
    expect(failed.ignored[0]?.reason).toMatch(/ended FAILURE: nothing to release/);
  });

  it.each([
    ["an S3 delete", { source: "aws.s3", "detail-type": "Object Deleted", detail: {} }, /only 'Object Created'/],
    ["an ECR delete", { source: "aws.ecr", "detail-type": "ECR Image Action", detail: { "action-type": "DELETE", result: "SUCCESS", "repository-name": "r", "image-digest": DIGEST } }, /only PUSH/],
    ["a truncated digest", { source: "aws.ecr", "detail-type": "ECR Image Action", detail: { "action-type": "PUSH", result: "SUCCESS", "repository-name": "r", "image-digest": "sha256:abc" } }, /not sha256:<64 hex>/],
    ["another service", { source: "aws.ec2", "detail-type": "EC2 Instance State-change Notification" }, /source 'aws.ec2'/],
    ["a Records[] removal", { Records: [{ eventSource: "aws:s3", eventVersion: "2.1", eventName: "ObjectRemoved:Delete", s3: {} }] }, /only ObjectCreated/],
    ["a Records[] version 3", { Records: [{ eventSource: "aws:s3", eventVersion: "3.0", eventName: "ObjectCreated:Put", s3: {} }] }, /not 2\.x/],
    ["not an object", "hello", /not a JSON object/],
  ])("ignores %s with a reason", (_what, event, reason) => {
    const { triggers, ignored } = parseTriggerEvent(event);
    expect(triggers).toEqual([]);
    expect(ignored[0]?.reason).toMatch(reason);
  });

  it("accepts any Records[] eventVersion 2.x (2.1 to 2.5 are documented)", () => {
    for (const v of ["2.1", "2.2", "2.3", "2.4", "2.5"]) {
      const ev = { Records: [{ eventSource: "aws:s3", eventVersion: v, eventName: "ObjectCreated:CompleteMultipartUpload", s3: { bucket: { name: "b" }, object: { key: "k.zip", sequencer: "01" } } }] };
      expect(parseTriggerEvent(ev).triggers).toHaveLength(1);
    }
  });

  it("decodes keys as S3 encodes them", () => {
    expect(decodeS3NotificationKey("a+b%2Bc%20d/%C3%A9.zip")).toBe("a b+c d/é.zip");
  });
});

const s3Trigger = fc.record({
  kind: fc.constant("s3" as const),
  form: fc.constantFrom("eventbridge" as const, "records" as const),
  bucket: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/),
  key: fc.string({ minLength: 1, maxLength: 200 }),
  versionId: fc.option(fc.string({ minLength: 1, maxLength: 32 }), { nil: undefined }),
  sequencer: fc.option(fc.stringMatching(/^[0-9A-F]{16,18}$/), { nil: undefined }),
  eTag: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }),
});
const ecrTrigger = fc.record({ kind: fc.constant("ecr" as const), repository: fc.stringMatching(/^[a-z0-9]+(\/[a-z0-9]+)?$/), digest: fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`), tag: fc.option(fc.stringMatching(/^[a-z0-9.]{1,10}$/), { nil: undefined }) });
const trigger: fc.Arbitrary<Trigger> = fc.oneof(s3Trigger, ecrTrigger);
const sourceName = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);

describe("release names (deduplication)", () => {
  it("are valid Step Functions execution names, the same for the same event", () => {
    fc.assert(
      fc.property(sourceName, trigger, (name, t) => {
        const n = releaseExecutionName(name, t);
        expect(n.length).toBeLessThanOrEqual(80);
        expect(n).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(releaseExecutionName(name, structuredClone(t))).toBe(n);
        expect(releaseDeploymentId(n)).toMatch(/^d-[A-Z0-9]{9}$/);
      }),
    );
  });

  it("do not depend on the delivery form or the tag, only on what identifies the upload or image", () => {
    fc.assert(
      fc.property(sourceName, trigger, fc.stringMatching(/^[a-z]{1,8}$/), (name, t, tag) => {
        const other: Trigger = t.kind === "s3" ? { ...t, form: t.form === "records" ? "eventbridge" : "records", size: 7 } : { ...t, tag };
        expect(releaseExecutionName(name, other)).toBe(releaseExecutionName(name, t));
      }),
    );
  });

  it("differ for another upload of the same key (new sequencer) and for another digest", () => {
    fc.assert(
      fc.property(sourceName, s3Trigger, fc.stringMatching(/^[0-9A-F]{16}$/), (name, t, seq) => {
        fc.pre(seq !== t.sequencer && t.sequencer !== undefined);
        expect(releaseExecutionName(name, { ...t, sequencer: seq })).not.toBe(releaseExecutionName(name, t));
      }),
    );
    const a: Trigger = { kind: "ecr", repository: "r", digest: DIGEST };
    expect(triggerIdentity(a)).not.toBe(triggerIdentity({ ...a, digest: `sha256:${"cd".repeat(32)}` }));
  });
});
