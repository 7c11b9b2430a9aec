// Release sources per stage, for serverless.yml: `${file(./config/releases.cjs):<key>}`.
// The list lives in config/releases.<stage>.json (else config/releases.default.json); everything the
// stack needs is derived from it here, so the rules, the grants and the dispatcher never disagree.
// docs/releases.md explains the fields. The local simulator calls `forStage` directly.
const fs = require("node:fs");
const path = require("node:path");

// Neither is a valid S3 bucket or ECR repository name (they cannot start with "-"), so a rule or a
// grant built from it matches nothing: the shape CloudFormation needs when a stage has no sources.
const NO_SOURCE = "-no-release-source-";
// Not a valid Lambda function name ("." is not allowed): a code grant that matches no function.
const NO_FUNCTION = "no.release.function";

function readSources(stage) {
  const own = path.join(__dirname, `releases.${stage}.json`);
  const file = fs.existsSync(own) ? own : path.join(__dirname, "releases.default.json");
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Array.isArray(doc.sources)) throw new Error(`${file}: "sources" must be a list`);
  return { file: path.basename(file), sources: doc.sources };
}

const unique = (xs) => [...new Set(xs)];
const sub = (s) => ({ "Fn::Sub": s });

function forStage(stage) {
  const { file, sources } = readSources(stage);
  const s3 = sources.filter((s) => s?.s3);
  const ecr = sources.filter((s) => s?.ecr);
  // The functions the releases may change: each source's own (functions, or an ECR source's function).
  const functions = unique(sources.flatMap((s) => [...(s?.functions ?? []), ...(s?.function ? [s.function] : [])]).map((f) => f.name));
  const tags = ecr.map((s) => (s.ecr.tag === undefined ? "latest" : s.ecr.tag));
  return {
    file,
    sourcesJson: JSON.stringify(sources),
    // EventBridge "Object Created" filter: the buckets and key prefixes (the dispatcher matches pairs exactly).
    s3EventDetail: s3.length
      ? { bucket: { name: unique(s3.map((s) => s.s3.bucket)) }, object: { key: unique(s3.map((s) => s.s3.prefix || "")).map((prefix) => ({ prefix })) } }
      : { bucket: { name: [NO_SOURCE] } },
    // ECR "ECR Image Action" filter: successful pushes to the repositories (and tags; "" means any tag).
    ecrEventDetail: {
      "action-type": ["PUSH"],
      result: ["SUCCESS"],
      "repository-name": ecr.length ? unique(ecr.map((s) => s.ecr.repository)) : [NO_SOURCE],
      ...(ecr.length && !tags.includes("") ? { "image-tag": unique(tags) } : {}),
    },
    // Reading bundles: only the configured prefixes.
    bundleObjectArns: s3.length ? unique(s3.map((s) => `arn:aws:s3:::${s.s3.bucket}/${s.s3.prefix || ""}*`)) : [`arn:aws:s3:::${NO_SOURCE}/*`],
    // Uploading and publishing code: only the release sources' own functions (and their versions).
    releaseFunctionArns: (functions.length ? functions : [NO_FUNCTION]).flatMap((name) => [
      sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}`),
      sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}:*`),
    ]),
    // Lambda checks that whoever points a function at an image may read it.
    imageRepositoryArns: ecr.length
      ? unique(ecr.map((s) => s.ecr.repository)).map((r) => sub(`arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${r}`))
      : [sub(`arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${NO_SOURCE}`)],
  };
}

module.exports = async ({ resolveVariable }) => forStage(await resolveVariable("sls:stage"));
module.exports.forStage = forStage;
module.exports.readSources = readSources;
module.exports.NO_SOURCE = NO_SOURCE;
module.exports.NO_FUNCTION = NO_FUNCTION;
