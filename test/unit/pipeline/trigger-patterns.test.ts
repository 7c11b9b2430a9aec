import { describe, expect, it } from "vitest";
import { triggeredStarts } from "../../../functions/domain/pipeline/execution/trigger-events.js";
import { type PipelineTrigger, triggerPatterns } from "../../../functions/domain/pipeline/stack/triggers.js";
import { matchesPattern } from "../../../local/account/eventbridge/pattern.js";

/**
 * The trigger rules' patterns (what the stack deploys and `pipeline simulate` routes through) on events
 * shaped as AWS documents them, and what the trigger Lambda then starts. Documented samples:
 * - ECR: "Amazon ECR events and EventBridge", https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 *   ("Event for a completed image push"; "Event for an image deletion" has action-type DELETE);
 * - CodeCommit: "Monitoring CodeCommit events in Amazon EventBridge and Amazon CloudWatch Events",
 *   https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html (referenceCreated,
 *   referenceUpdated by a merge, referenceDeleted: only oldCommitId);
 * - S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html ("Object Created").
 * The samples' own names are replaced by the watched ones where a row says so; every other field is as documented.
 */
const DIGEST = "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234";
const TRIGGERS: PipelineTrigger[] = [
  { pipeline: "api", stateMachine: "sd-pipeline-api", action: "Image", ecr: { repository: "my-repository-name", tag: "latest" } },
  { pipeline: "app", stateMachine: "sd-pipeline-app", action: "Source", codecommit: { repository: "MyDemoRepo", branch: "myBranch" } },
  { pipeline: "site", stateMachine: "sd-pipeline-site", action: "Upload", s3: { bucket: "amzn-s3-demo-bucket1", key: "example-key" } },
];
const PATTERNS = triggerPatterns(TRIGGERS);

const envelope = (source: string, detailType: string, time: string, region: string, resources: string[], detail: Record<string, unknown>) => ({ version: "0", id: "01234567-EXAMPLE", "detail-type": detailType, source, account: "123456789012", time, region, resources, detail });

// ECR user guide, "Event for a completed image push" (and the deletion sample's action-type).
const ecrPush = (detail: Record<string, unknown> = {}) =>
  envelope("aws.ecr", "ECR Image Action", "2019-11-16T01:54:34Z", "us-west-2", [], { result: "SUCCESS", "repository-name": "my-repository-name", "image-digest": DIGEST, "action-type": "PUSH", "image-tag": "latest", ...detail });
// CodeCommit user guide, the three reference events.
const ccBase = { repositoryName: "MyDemoRepo", repositoryId: "12345678-1234-5678-abcd-12345678abcd", referenceType: "branch", referenceName: "myBranch", referenceFullName: "refs/heads/myBranch" };
const codecommit = (detail: Record<string, unknown>) => envelope("aws.codecommit", "CodeCommit Repository State Change", "2019-06-12T10:23:43Z", "us-east-2", ["arn:aws:codecommit:us-east-2:123456789012:MyDemoRepo"], { ...ccBase, ...detail });
const referenceCreated = (over: Record<string, unknown> = {}) => codecommit({ event: "referenceCreated", commitId: "3e5983DESTINATION", ...over });
const referenceUpdated = (over: Record<string, unknown> = {}) =>
  codecommit({ event: "referenceUpdated", commitId: "7f0103fMERGE", oldCommitId: "3e5983DESTINATION", baseCommitId: "3e5a9bf1BASE", sourceCommitId: "26a8f2SOURCE", destinationCommitId: "3e5983DESTINATION", mergeOption: "THREE_WAY_MERGE", conflictDetailsLevel: "LINE_LEVEL", conflictResolutionStrategy: "AUTOMERGE", ...over });
const referenceDeleted = codecommit({ event: "referenceDeleted", oldCommitId: "26a8f2EXAMPLE" });
// S3 user guide, "Object Created".
const s3Created = (object: Record<string, unknown> = {}, bucket = "amzn-s3-demo-bucket1") =>
  envelope("aws.s3", "Object Created", "2021-11-12T00:00:00Z", "ca-central-1", [`arn:aws:s3:::${bucket}`], {
    version: "0",
    bucket: { name: bucket },
    object: { key: "example-key", size: 5, etag: "b1946ac92492d2347c6235b4d2611184", "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", sequencer: "617f08299329d189", ...object },
    "request-id": "N4N7GDK58NMKJ12R",
    requester: "123456789012",
    "source-ip-address": "1.2.3.4",
    reason: "PutObject",
  });

type Row = [string, "s3" | "ecr" | "codecommit", Record<string, unknown>, Record<string, Record<string, string>> | null];
const ROWS: Row[] = [
  ["ECR: the documented push of the watched repository and tag", "ecr", ecrPush(), { Image: { ImageDigest: DIGEST, ImageTag: "latest", ImagePushedAt: "2019-11-16T01:54:34Z" } }],
  ["ECR: a push of another tag", "ecr", ecrPush({ "image-tag": "v2" }), null],
  ["ECR: a push to another repository", "ecr", ecrPush({ "repository-name": "other" }), null],
  ["ECR: a failed push", "ecr", ecrPush({ result: "FAILURE" }), null],
  ["ECR: an image deletion (action-type DELETE)", "ecr", ecrPush({ "action-type": "DELETE" }), null],
  ["ECR: an untagged push (no image-tag)", "ecr", ecrPush({ "image-tag": undefined }), null],
  ["CodeCommit: referenceCreated of the watched branch", "codecommit", referenceCreated(), { Source: { CommitId: "3e5983DESTINATION", BranchName: "myBranch" } }],
  ["CodeCommit: referenceUpdated (a merge) of the watched branch", "codecommit", referenceUpdated(), { Source: { CommitId: "7f0103fMERGE", BranchName: "myBranch" } }],
  ["CodeCommit: referenceUpdated of another branch", "codecommit", referenceUpdated({ referenceName: "dev", referenceFullName: "refs/heads/dev" }), null],
  ["CodeCommit: referenceUpdated of another repository", "codecommit", referenceUpdated({ repositoryName: "Other" }), null],
  ["CodeCommit: referenceDeleted of the watched branch", "codecommit", referenceDeleted, null],
  ["CodeCommit: a tag named like the branch", "codecommit", referenceCreated({ referenceType: "tag", referenceFullName: "refs/tags/myBranch" }), null],
  ["S3: the documented Object Created of the watched key", "s3", s3Created(), { Upload: { VersionId: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", ETag: "b1946ac92492d2347c6235b4d2611184" } }],
  ["S3: another key in the bucket", "s3", s3Created({ key: "other-key" }), null],
  ["S3: another bucket", "s3", s3Created({}, "someone-elses"), null],
];

describe("trigger rule patterns on documented events", () => {
  it.each(ROWS)("%s", (_, kind, event, pinned) => {
    const matching = (Object.keys(PATTERNS) as (keyof typeof PATTERNS)[]).filter((k) => matchesPattern(PATTERNS[k], JSON.parse(JSON.stringify(event))));
    expect(matching).toEqual(pinned ? [kind] : []);
    const starts = triggeredStarts(JSON.parse(JSON.stringify(event)), TRIGGERS);
    if (!pinned) {
      // What the rule lets through is all the Lambda starts: nothing here, even if a rule let it through.
      expect(starts).toEqual([]);
      return;
    }
    expect(starts).toHaveLength(1);
    expect(starts[0]?.input).toEqual({ trigger: { type: "CloudWatchEvent", detail: expect.any(String) }, sourceRevisions: pinned });
  });

  it("the patterns filter only on fields the documented events carry", () => {
    for (const [, kind] of ROWS) expect(Object.keys(PATTERNS[kind].detail).every((f) => ["action-type", "result", "repository-name", "image-tag", "event", "referenceType", "repositoryName", "referenceName", "bucket", "object"].includes(f))).toBe(true);
  });

  it("a kind nobody watches keeps its rule with a filter that matches nothing", () => {
    const none = triggerPatterns([]);
    expect(matchesPattern(none.ecr, ecrPush())).toBe(false);
    expect(matchesPattern(none.codecommit, referenceUpdated())).toBe(false);
    expect(matchesPattern(none.s3, s3Created())).toBe(false);
  });
});
