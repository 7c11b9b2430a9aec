import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { sdkStreamMixin } from "@smithy/core/serde";
import { mockClient } from "aws-sdk-client-mock";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createArtifactStoreAdapter } from "../../../functions/adapters/s3-artifacts.js";
import { createSnsAdapter, SNS_SUBJECT_MAX } from "../../../functions/adapters/sns.js";

/** The pipeline's S3 and SNS adapters at the SDK edge: the requests they make and how errors come back named. */
describe("artifact store adapter (S3)", () => {
  const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

  it("copies a pinned version with an encoded CopySource and reports the ETag and source version", async () => {
    const s3 = mockClient(client);
    s3.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"abc"' }, CopySourceVersionId: "v1" });
    const out = await createArtifactStoreAdapter(client).copyObject({ bucket: "src", key: "dir/a b.zip", versionId: "v1" }, { bucket: "art", key: "p/A/K" });
    expect(out).toEqual({ eTag: "abc", versionId: "v1" });
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({ Bucket: "art", Key: "p/A/K", CopySource: "src/dir/a%20b.zip?versionId=v1" });
  });

  it("a missing object or version is Deploy.ResourceNotFound naming it; throttling is Deploy.Transient", async () => {
    const s3 = mockClient(client);
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("gone"), { name: "NoSuchVersion", $metadata: { httpStatusCode: 404 } }));
    await expect(createArtifactStoreAdapter(client).getObject({ bucket: "b", key: "k", versionId: "v2" })).rejects.toMatchObject({ name: "Deploy.ResourceNotFound", message: expect.stringContaining("s3://b/k?versionId=v2") });
    s3.on(PutObjectCommand).rejects(Object.assign(new Error("slow down"), { name: "SlowDown", $metadata: { httpStatusCode: 503 } }));
    await expect(createArtifactStoreAdapter(client).putObject({ bucket: "b", key: "k" }, new Uint8Array([1]))).rejects.toMatchObject({ name: "Deploy.Transient" });
  });

  it("reads a body and its version", async () => {
    const s3 = mockClient(client);
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from("hello")])), ETag: '"e"', VersionId: "v3" });
    const out = await createArtifactStoreAdapter(client).getObject({ bucket: "b", key: "k" });
    expect(new TextDecoder().decode(out.body)).toBe("hello");
    expect(out).toMatchObject({ eTag: "e", versionId: "v3" });
  });
});

describe("notifications adapter (SNS)", () => {
  const client = new SNSClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

  it("publishes the message with the subject cut to what SNS accepts; errors name the topic", async () => {
    const sns = mockClient(client);
    sns.on(PublishCommand).resolves({ MessageId: "m" });
    await createSnsAdapter(client).publish("arn:aws:sns:us-east-1:1:t", "x".repeat(150), "{}");
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({ TopicArn: "arn:aws:sns:us-east-1:1:t", Subject: "x".repeat(SNS_SUBJECT_MAX), Message: "{}" });
    sns.on(PublishCommand).rejects(Object.assign(new Error("no topic"), { name: "NotFoundException", $metadata: { httpStatusCode: 404 } }));
    await expect(createSnsAdapter(client).publish("arn:aws:sns:us-east-1:1:t", "s", "{}")).rejects.toMatchObject({ name: "Deploy.AwsError", message: expect.stringContaining("arn:aws:sns:us-east-1:1:t") });
  });
});
