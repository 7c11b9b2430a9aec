import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fetchRevision, inspectRevision, normalizeETag, type S3Revision } from "../../../functions/adapters/s3.js";
import { parseAppSpec } from "../../../functions/domain/appspec/index.js";
import { type LocalS3, startS3rver } from "../../support/s3rver.js";
import { APPSPEC, renameInZip, type TestEntry, tarOf, zipOf } from "./build.js";

const BUCKET = "revisions";
const MiB = 1024 * 1024;
const BASE: TestEntry[] = [
  { name: "appspec.yml", content: APPSPEC },
  { name: "scripts/after.sh", content: "#!/bin/sh\n" },
];

async function errorOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

describe("revisions on s3rver", () => {
  let s3: LocalS3;
  const etags: Record<string, string> = {};
  const put = async (key: string, body: Buffer) => {
    const out = await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    etags[key] = out.ETag!;
  };

  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
    const lambdaAppSpec = "version: 0.0\nResources:\n  - f:\n      Type: AWS::Lambda::Function\n      Properties: {Name: f, Alias: live, CurrentVersion: 1, TargetVersion: 2}\n";
    await put("ok.zip", await zipOf(BASE));
    await put("ok.tar", await tarOf(BASE));
    await put("ok.tgz", await tarOf(BASE, true));
    await put("ok.yml", Buffer.from(lambdaAppSpec));
    await put("ok.json", Buffer.from(JSON.stringify({ version: 0.0, Resources: [{ f: { Type: "AWS::Lambda::Function", Properties: { Name: "f", Alias: "live", CurrentVersion: "1", TargetVersion: "2" } } }] })));
    await put("zip-slip.zip", renameInZip(await zipOf([...BASE, { name: "AA/evil.sh", content: "x" }]), "AA/evil.sh", "../evil.sh"));
    await put("absolute.zip", renameInZip(await zipOf([...BASE, { name: "Xtmp/evil", content: "x" }]), "Xtmp/evil", "/tmp/evil"));
    await put("tar-slip.tgz", await tarOf([...BASE, { name: "../../evil.sh", content: "x" }], true));
    await put("symlink.zip", await zipOf([...BASE, { name: "www/link", symlink: "../../../etc/passwd" }]));
    await put("symlink.tar", await tarOf([...BASE, { name: "www/link", symlink: "/etc/passwd" }]));
    await put("bomb.zip", await zipOf([...BASE, { name: "zeros.bin", content: Buffer.alloc(32 * MiB) }]));
    await put("bomb.tgz", await tarOf([...BASE, { name: "zeros.bin", content: Buffer.alloc(32 * MiB) }], true));
    await put("dup.zip", await zipOf([...BASE, { name: "scripts/after.sh", content: "again" }]));
    await put("dup.tar", await tarOf([...BASE, { name: "appspec.yml", content: "version: 0.0\nos: windows\n" }]));
    await put("no-appspec.zip", await zipOf([{ name: "app/appspec.yml", content: APPSPEC }]));
  });
  afterAll(() => s3?.close());

  it("readObjectSync reads an object from s3rver's directory (nested keys too); a missing one is undefined", async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "p/Src/1.zip.templates/t.json", Body: "{\"Resources\":{}}" }));
    expect(new TextDecoder().decode(s3.readObjectSync(BUCKET, "p/Src/1.zip.templates/t.json"))).toBe('{"Resources":{}}');
    expect(s3.readObjectSync(BUCKET, "p/missing.json")).toBeUndefined();
  });

  const rev = (key: string, bundleType: string, extra: Partial<S3Revision> = {}): S3Revision => ({ bucket: BUCKET, key, bundleType, ...extra });

  it.each([
    ["ok.zip", "zip"],
    ["ok.tar", "tar"],
    ["ok.tgz", "tgz"],
  ])("%s: fetched, inspected and its appspec validates", async (key, type) => {
    const r = await inspectRevision(rev(key, type), { client: s3.client, extract: ["scripts/after.sh"] });
    expect(r.appSpec.path).toBe("appspec.yml");
    expect(r.entries.map((e) => e.path)).toEqual(["appspec.yml", "scripts/after.sh"]);
    expect(r.extracted["scripts/after.sh"]!.toString()).toBe("#!/bin/sh\n");
    expect(r.eTag).toBe(normalizeETag(etags[key]!));
    expect(parseAppSpec(r.appSpec.text).valid).toBe(true);
  });

  it.each([
    ["ok.yml", "YAML"],
    ["ok.json", "JSON"],
  ])("%s (%s revision): the object is the appspec", async (key, type) => {
    const r = await inspectRevision(rev(key, type), { client: s3.client });
    const spec = parseAppSpec(r.appSpec.text);
    expect(spec.valid).toBe(true);
    expect(spec.platform).toBe("lambda");
  });

  it.each([
    ["zip-slip.zip", "zip", "Bundle.UnsafePath", "'../evil.sh' climbs out"],
    ["absolute.zip", "zip", "Bundle.UnsafePath", "absolute path"],
    ["tar-slip.tgz", "tgz", "Bundle.UnsafePath", "'../../evil.sh' climbs out"],
    ["symlink.zip", "zip", "Bundle.UnsafePath", "symlink 'www/link' points outside the bundle root"],
    ["symlink.tar", "tar", "Bundle.UnsafePath", "symlink 'www/link' points outside the bundle root"],
    ["bomb.zip", "zip", "Bundle.TooLarge", "maxExpandedBytes"],
    ["bomb.tgz", "tgz", "Bundle.TooLarge", "maxExpandedBytes"],
    ["dup.zip", "zip", "Bundle.DuplicateEntry", "'scripts/after.sh' appears more than once"],
    ["dup.tar", "tar", "Bundle.DuplicateEntry", "'appspec.yml' appears more than once"],
    ["no-appspec.zip", "zip", "Bundle.NoAppSpec", "found app/appspec.yml"],
    ["ok.tgz", "zip", "Bundle.Corrupt", "look like tgz"],
  ])("%s as %s → %s", async (key, type, name, message) => {
    const e = await errorOf(inspectRevision(rev(key, type), { client: s3.client, limits: { maxExpandedBytes: 8 * MiB } }));
    expect(e.name).toBe(name);
    expect(e.message).toContain(message);
  });

  it("reads the pinned ETag, quoted or not", async () => {
    const etag = etags["ok.zip"]!;
    expect((await inspectRevision(rev("ok.zip", "zip", { eTag: etag }), { client: s3.client })).eTag).toBe(normalizeETag(etag));
    expect((await inspectRevision(rev("ok.zip", "zip", { eTag: normalizeETag(etag) }), { client: s3.client })).appSpec.path).toBe("appspec.yml");
  });

  it("refuses an object whose ETag is not the pinned one (s3rver ignores If-Match; the response check catches it)", async () => {
    const e = await errorOf(inspectRevision(rev("ok.zip", "zip", { eTag: "0123456789abcdef0123456789abcdef" }), { client: s3.client }));
    expect(e.name).toBe("Bundle.RevisionMismatch");
    expect(e.message).toContain("expected ETag 0123456789abcdef0123456789abcdef");
  });

  it("refuses to read unversioned data when a version is pinned", async () => {
    const e = await errorOf(fetchRevision(rev("ok.zip", "zip", { version: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" }), s3.client));
    expect(e.name).toBe("Bundle.RevisionMismatch");
    expect(e.message).toContain("versioning");
  });

  it("names a missing object Deploy.ResourceNotFound", async () => {
    const e = await errorOf(inspectRevision(rev("nope.zip", "zip"), { client: s3.client }));
    expect(e.name).toBe("Deploy.ResourceNotFound");
  });

  it("uses a default client that honours AWS_ENDPOINT_URL", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" });
    try {
      const r = await inspectRevision(rev("ok.tgz", "tgz"));
      expect(r.appSpec.path).toBe("appspec.yml");
    } finally {
      for (const k of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});

describe("GetObject at the SDK edge (aws-sdk-client-mock)", () => {
  // Mock one instance, not the S3Client prototype, so the s3rver tests keep their real client.
  const client = new S3Client({ region: "us-east-1" });
  const s3 = mockClient(client);
  afterEach(() => s3.reset());
  const body = (buf: Buffer) => Readable.from([buf]) as unknown as never;

  it("sends VersionId and If-Match, and accepts a matching response", async () => {
    const zip = await zipOf(BASE);
    s3.on(GetObjectCommand).resolves({ Body: body(zip), ETag: '"abc"', VersionId: "v7", ContentLength: zip.length });
    const r = await inspectRevision({ bucket: "b", key: "k.zip", bundleType: "zip", version: "v7", eTag: "abc" }, { client });
    expect(r.versionId).toBe("v7");
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: "b", Key: "k.zip", VersionId: "v7", IfMatch: '"abc"' });
  });

  it("omits VersionId and If-Match when the revision does not pin them", async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from(APPSPEC)), ETag: '"abc"' });
    await inspectRevision({ bucket: "b", key: "appspec.yml", bundleType: "YAML" }, { client });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: "b", Key: "appspec.yml" });
  });

  it("maps 412 PreconditionFailed to Bundle.RevisionMismatch", async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), { name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } }));
    const e = await errorOf(fetchRevision({ bucket: "b", key: "k", bundleType: "zip", eTag: "abc" }, client));
    expect(e.name).toBe("Bundle.RevisionMismatch");
    expect(e.message).toContain("If-Match failed");
  });

  it("refuses a response for another version, and closes its body", async () => {
    const stream = Readable.from([Buffer.from("x")]);
    s3.on(GetObjectCommand).resolves({ Body: stream as unknown as never, VersionId: "v8" });
    const e = await errorOf(fetchRevision({ bucket: "b", key: "k", bundleType: "zip", version: "v7" }, client));
    expect(e.name).toBe("Bundle.RevisionMismatch");
    expect(e.message).toContain("expected VersionId v7, S3 returned v8");
    expect(stream.destroyed).toBe(true);
  });

  it.each([
    ["NoSuchVersion", 404, "Deploy.ResourceNotFound"],
    ["NoSuchBucket", 404, "Deploy.ResourceNotFound"],
    ["SlowDown", 503, "Deploy.Transient"],
    ["AccessDenied", 403, "Deploy.AwsError"],
  ])("maps %s to %s", async (name, status, expected) => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } }));
    expect((await errorOf(fetchRevision({ bucket: "b", key: "k", bundleType: "zip" }, client))).name).toBe(expected);
  });

  it("refuses an object larger than maxArchiveBytes before reading it", async () => {
    const stream = Readable.from([Buffer.from("x")]);
    s3.on(GetObjectCommand).resolves({ Body: stream as unknown as never, ContentLength: 5 * MiB });
    const e = await errorOf(inspectRevision({ bucket: "b", key: "k", bundleType: "tgz" }, { client, limits: { maxArchiveBytes: MiB } }));
    expect(e.name).toBe("Bundle.TooLarge");
    expect(stream.destroyed).toBe(true);
  });

  it.each(["YAML", "JSON"])("refuses a %s revision above the AppSpec cap before reading it", async (bundleType) => {
    const stream = Readable.from([Buffer.from("x")]);
    s3.on(GetObjectCommand).resolves({ Body: stream as unknown as never, ContentLength: 50 * MiB });
    const e = await errorOf(inspectRevision({ bucket: "b", key: "appspec", bundleType }, { client }));
    expect(e.name).toBe("Bundle.TooLarge");
    expect(e.message).toContain(`(a ${bundleType} revision) is ${50 * MiB} bytes, above the 1 MiB (1048576 bytes) limit for an AppSpec`);
    expect(stream.destroyed).toBe(true);
  });

  it("checks bundleType before calling S3", async () => {
    const e = await errorOf(inspectRevision({ bucket: "b", key: "k", bundleType: "tar.gz" }, { client }));
    expect(e.name).toBe("Bundle.InvalidBundleType");
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});
