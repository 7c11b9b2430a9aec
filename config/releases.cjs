// Release sources per stage, for serverless.yml: `${file(./config/releases.cjs):<key>}`.
// The list lives in config/releases.<stage>.json (else config/releases.default.json); everything the
// stack needs is derived from it here, so the rules, the grants and the dispatcher never disagree.
// docs/releases.md explains the fields. The local simulator calls `forStage` directly.
const fs = require("node:fs");
const path = require("node:path");
const groups = require("./groups.cjs");

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

// What the release functions' environment may hold of the two lists together (Lambda allows 4 KB of environment per
// function; the other variables of dispatchRelease and planRelease take well under 512 bytes).
const MAX_RELEASE_ENV_BYTES = 3584;

// A deployment group's `release` section (config/groups.<stage>.yml) as far as the rules and grants need it: its
// bucket and prefix or repository and tag, and the group's function. The functions read the full source from
// DEPLOYMENT_GROUPS (functions/domain/groups/releases.ts).
function groupSources(stage) {
  const { doc } = groups.readGroups(stage);
  return groups.groupsOf(doc).flatMap(({ g }) => {
    const r = g.release;
    if (!r || typeof r !== "object") return [];
    const ecr = { repository: r.ecr?.repository, tag: r.ecr?.tag };
    // An ECS group's release: pushes register the task definition of its one service again.
    const svc = g.ecsServices?.[0];
    if (svc) return [{ platform: "ecs", ecr, deployment: { ecs: { cluster: svc.clusterName, service: svc.serviceName } } }];
    const fn = { name: g.target?.functionName };
    return [r.s3 ? { s3: { bucket: r.s3.bucket, prefix: r.s3.prefix ?? "" }, functions: [fn] } : { ecr, function: fn }];
  });
}

function forStage(stage) {
  const { file, sources: own } = readSources(stage);
  const sourcesJson = JSON.stringify(own);
  const groupsBytes = Buffer.byteLength(groups.forStage(stage).groupsJson);
  if (Buffer.byteLength(sourcesJson) + groupsBytes > MAX_RELEASE_ENV_BYTES) {
    throw new Error(`config/${file} (${Buffer.byteLength(sourcesJson)} bytes as JSON) and the stage's groups (${groupsBytes}) are over the ${MAX_RELEASE_ENV_BYTES} bytes the release functions' environment holds (Lambda allows 4 KB in all); move sources into the groups' release sections or shorten them (docs/releases.md)`);
  }
  const sources = [...own, ...groupSources(stage)];
  const s3 = sources.filter((s) => s?.s3);
  const ecr = sources.filter((s) => s?.ecr);
  // The functions the releases may change: each source's own (functions, or an ECR source's function).
  const functions = unique(sources.flatMap((s) => [...(s?.functions ?? []), ...(s?.function ? [s.function] : [])]).map((f) => f.name));
  // The ECS services the sources release (cluster/service).
  const ecsServices = unique(sources.filter((s) => s?.platform === "ecs").map((s) => `${s.deployment?.ecs?.cluster}/${s.deployment?.ecs?.service}`));
  const tags = ecr.map((s) => (s.ecr.tag === undefined ? "latest" : s.ecr.tag));
  return {
    file,
    sourcesJson,
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
    // ECS sources: the services whose task definitions a push may register again.
    ecsServiceArns: (ecsServices.length ? ecsServices : [`${NO_SOURCE}/${NO_SOURCE}`]).map((cs) => sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${cs}`)),
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
module.exports.MAX_RELEASE_ENV_BYTES = MAX_RELEASE_ENV_BYTES;
