// Applications and deployment groups per stage, for serverless.yml: `${file(./config/groups.cjs):<key>}`.
// The file is config/groups.<stage>.yml (else config/groups.default.yml); docs/groups.md explains it.
// The functions validate it at run time (and `stepdeploy groups validate` offline); here it is only read,
// measured against Lambda's environment limit, and mined for the SNS topics the triggers publish to.
// The local simulator calls `forStage` directly.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");

// Lambda allows 4 KB for all of a function's environment variables together (Lambda quotas); the rest of the
// start function's variables take well under 1 KB.
const MAX_GROUPS_BYTES = 3072;
// Not a valid S3 bucket name (it cannot start with "-"): a read grant that matches no object.
const NO_BUCKET = "-no-revision-bucket-";
// Not a valid SNS topic name ("." is allowed only in ".fifo"): a grant that matches no topic.
const NO_TOPIC = "no.trigger.topic";

function readGroups(stage) {
  const own = path.join(__dirname, `groups.${stage}.yml`);
  const file = fs.existsSync(own) ? own : path.join(__dirname, "groups.default.yml");
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
  return { file: path.basename(file), doc };
}

// Not a UUID: an event pattern value no deployment event carries.
const NO_GROUP = "no-group-with-triggers";

function groupsOf(doc) {
  return Object.entries(doc.applications ?? {}).flatMap(([application, app]) => Object.entries(app?.deploymentGroups ?? {}).map(([name, g]) => ({ application, name, g: g ?? {} })));
}

/** The group's id, as functions/domain/groups/id.ts derives it (a test keeps the two equal). */
function groupId(application, deploymentGroup) {
  const h = crypto.createHash("sha1").update(`stepdeploy:${application}/${deploymentGroup}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function forStage(stage) {
  const { file, doc } = readGroups(stage);
  const { $schema, ...groups } = doc;
  const groupsJson = JSON.stringify(groups);
  const bytes = Buffer.byteLength(groupsJson);
  if (bytes > MAX_GROUPS_BYTES) {
    throw new Error(`config/${file}: ${bytes} bytes as JSON, over the ${MAX_GROUPS_BYTES} that fit in the functions' environment (Lambda allows 4 KB in all); split the stage or shorten descriptions (docs/groups.md#limits)`);
  }
  const triggered = groupsOf(doc).filter(({ g }) => (g.triggerConfigurations ?? []).length > 0);
  const topics = [...new Set(triggered.flatMap(({ g }) => g.triggerConfigurations.map((t) => t?.triggerTargetArn)).filter((a) => typeof a === "string"))];
  const buckets = [...new Set(doc.revisionBuckets ?? [])];
  return {
    file,
    groupsJson,
    // Group deployments read S3 revisions only from the buckets the file names.
    revisionObjectArns: (buckets.length ? buckets : [NO_BUCKET]).map((b) => ({ "Fn::Sub": `arn:\${AWS::Partition}:s3:::${b}/*` })),
    // The trigger rule's filter: events of groups with triggers only (the others never invoke notifyTriggers).
    triggerEventDetail: { instanceGroupId: triggered.length ? triggered.map(({ application, name }) => groupId(application, name)) : [NO_GROUP] },
    // sns:Publish is granted on exactly these topics.
    triggerTopicArns: topics.length ? topics : [{ "Fn::Sub": `arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${NO_TOPIC}` }],
  };
}

module.exports = async ({ resolveVariable }) => forStage(await resolveVariable("sls:stage"));
module.exports.forStage = forStage;
module.exports.MAX_GROUPS_BYTES = MAX_GROUPS_BYTES;
module.exports.groupId = groupId;
module.exports.readGroups = readGroups;
module.exports.groupsOf = groupsOf;
