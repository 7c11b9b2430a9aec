// Pipelines in pipelines/, for serverless.yml: `${file(./config/pipelines.cjs):<key>}` (the trigger
// rules' filters, the grants of the pipeline functions, the trigger's and janitor's lists). The state
// machines and their roles are added by config/pipelines-plugin.cjs. Both compile the definitions
// with the TypeScript sources (config/pipelines-stack.ts) through tsx, so the stack gets exactly what
// `stepdeploy pipeline synth` prints. The local simulator calls `forStage` directly.
const path = require("node:path");

// Not a valid bucket, repository or topic name: a filter or grant that matches nothing, the shape
// CloudFormation needs when no pipeline has such a source.
const NONE = "-no-pipeline-source-";
const ROOT = path.join(__dirname, "..");

function loadStack(service, stage) {
  const { require: tsxRequire } = require("tsx/cjs/api");
  return tsxRequire("./pipelines-stack.ts", __filename).pipelineStack(ROOT, service, stage);
}

/**
 * Packaging (the async export below and the plugin) always compiles pipelines/ and fails loudly
 * without tsx. `forStage` alone, which the local simulator calls for every function's environment,
 * answers the values of a stack without pipelines unless asked to compile: the deployment simulator
 * needs none of them, and compiling with tsx costs about a second of CPU per CLI start (and the
 * installed CLI has no tsx).
 */
function loadStackIfAsked(service, stage, compile) {
  return compile ? loadStack(service, stage) : { parts: [], triggers: [], pipelines: [], rules: NO_RULES };
}

// The trigger rules' patterns when pipelines/ is not compiled: what triggerPatterns([]) answers.
const NO_RULES = {
  s3: { detail: { bucket: { name: [NONE] } } },
  ecr: { detail: { "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": [NONE] } },
  codecommit: { detail: { event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], repositoryName: [NONE] } },
};

const unique = (xs) => [...new Set(xs)].sort();
const literal = (v) => typeof v === "string" && v !== "" && !v.startsWith("!") && !v.startsWith("{");

function forStage(stage, service = "stepdeploy", compile = false) {
  const { parts, triggers, pipelines, rules } = loadStackIfAsked(service, stage, compile);
  const actions = pipelines.flatMap((p) => p.stages.flatMap((s) => s.actions.map((a) => ({ pipeline: p, action: a }))));
  const stores = unique(pipelines.flatMap((p) => [p.artifactStore?.location, ...Object.values(p.artifactStores ?? {}).map((s) => s.location)]).filter(literal));
  // CodePipeline's artifact layout: <bucket>/<pipeline name cut to 20>/<artifact>/<key>.
  const artifactObjects = unique(pipelines.flatMap((p) => [p.artifactStore, ...Object.values(p.artifactStores ?? {})].filter((s) => s && literal(s.location)).map((s) => `arn:aws:s3:::${s.location}/${p.name.slice(0, 20)}/*`)));
  const sourceObjects = unique(actions.filter(({ action: a }) => a.actionTypeId.category === "Source" && a.actionTypeId.provider === "S3" && literal(a.configuration.S3Bucket)).map(({ action: a }) => `arn:aws:s3:::${a.configuration.S3Bucket}/${a.configuration.AllowOverrideForS3ObjectKey === "true" ? "*" : a.configuration.S3ObjectKey}`));
  const deployObjects = unique(actions.filter(({ action: a }) => a.actionTypeId.category === "Deploy" && a.actionTypeId.provider === "S3" && literal(a.configuration.BucketName)).map(({ action: a }) => `arn:aws:s3:::${a.configuration.BucketName}/${a.configuration.ObjectKey ? `${a.configuration.ObjectKey.replace(/^\/+|\/+$/g, "")}${a.configuration.Extract === "true" ? "/*" : ""}` : "*"}`));
  const topics = unique(actions.map(({ action: a }) => a.configuration.NotificationArn).filter(literal));
  // ECS deploy actions: their services (a name with a #{variable} or an intrinsic becomes "*" in the ARN).
  const named = (v) => (literal(v) && !v.includes("#{") ? v : "*");
  const ecsDeploys = actions.filter(({ action: a }) => a.actionTypeId.category === "Deploy" && a.actionTypeId.provider === "ECS");
  const ecsServices = unique(ecsDeploys.map(({ action: a }) => `${a.region ?? `\${AWS::Region}`}:\${AWS::AccountId}:service/${named(a.configuration.ClusterName)}/${named(a.configuration.ServiceName)}`));
  // CloudFormation deploy actions: their stacks (change set calls are authorized on the stack too) and
  // the roles CloudFormation assumes (RoleArn), passed to cloudformation.amazonaws.com only.
  const cfnDeploys = actions.filter(({ action: a }) => a.actionTypeId.category === "Deploy" && a.actionTypeId.provider === "CloudFormation");
  const cfnStacks = unique(cfnDeploys.map(({ action: a }) => `${a.region ?? `\${AWS::Region}`}:\${AWS::AccountId}:stack/${named(a.configuration.StackName)}/*`));
  const cfnRoles = unique(cfnDeploys.map(({ action: a }) => a.configuration.RoleArn).filter((r) => literal(r) && !r.includes("#{")));
  // Elastic Beanstalk deploy actions: their application versions and environments, and the source
  // bundles copied into EB's storage bucket under each application.
  const ebDeploys = actions.filter(({ action: a }) => a.actionTypeId.category === "Deploy" && a.actionTypeId.provider === "ElasticBeanstalk");
  const ebRegion = (a) => a.region ?? `\${AWS::Region}`;
  const ebVersions = unique(ebDeploys.map(({ action: a }) => `${ebRegion(a)}:\${AWS::AccountId}:applicationversion/${named(a.configuration.ApplicationName)}/*`));
  const ebEnvironments = unique(ebDeploys.map(({ action: a }) => `${ebRegion(a)}:\${AWS::AccountId}:environment/${named(a.configuration.ApplicationName)}/${named(a.configuration.EnvironmentName)}`));
  const ebBundles = unique(ebDeploys.map(({ action: a }) => `elasticbeanstalk-${ebRegion(a)}-\${AWS::AccountId}/${named(a.configuration.ApplicationName)}/*`));
  const sub = (s) => ({ "Fn::Sub": s });
  return {
    // EventBridge filters of the trigger rules: triggerPatterns (functions/domain/pipeline/stack/triggers.ts),
    // the same patterns `pipeline simulate` routes events through.
    s3EventDetail: rules.s3.detail,
    ecrEventDetail: rules.ecr.detail,
    codecommitEventDetail: rules.codecommit.detail,
    triggersJson: JSON.stringify(triggers),
    // The webhook function gets a public URL only when a pipeline watches a git connection (or GitHub v1).
    gitWebhookUrl: triggers.some((t) => t.git),
    pipelinesJson: JSON.stringify(parts.map((p) => ({ pipeline: p.pipeline, stateMachine: p.stateMachineName, stages: p.stages, executionMode: p.executionMode }))),
    // The pipeline state machines, for the trigger (StartExecution) and the janitor's rule.
    stateMachineArns: parts.length ? parts.map((p) => sub(`arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${p.stateMachineName}`)) : [sub(`arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${NONE}`)],
    executionArns: parts.length ? parts.map((p) => sub(`arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${p.stateMachineName}:*`)) : [sub(`arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${NONE}:*`)],
    // S3: what the run-action function reads (pinned sources, artifacts) and writes (artifacts, deploy targets).
    readObjectArns: unique([...sourceObjects, ...artifactObjects]).length ? unique([...sourceObjects, ...artifactObjects]) : [`arn:aws:s3:::${NONE}/*`],
    writeObjectArns: unique([...artifactObjects, ...deployObjects]).length ? unique([...artifactObjects, ...deployObjects]) : [`arn:aws:s3:::${NONE}/*`],
    // Only the artifact folders: what the poll function writes (a CloudFormation action's output artifact).
    artifactObjectArns: artifactObjects.length ? artifactObjects : [`arn:aws:s3:::${NONE}/*`],
    artifactBuckets: stores,
    // ECS deploy actions: the services they update; "true" turns on the task definition grants.
    deploysToEcs: ecsDeploys.length ? "true" : "false",
    ecsServiceArns: (ecsServices.length ? ecsServices : [`\${AWS::Region}:\${AWS::AccountId}:service/${NONE}/${NONE}`]).map((x) => sub(`arn:\${AWS::Partition}:ecs:${x}`)),
    cloudFormationStackArns: (cfnStacks.length ? cfnStacks : [`\${AWS::Region}:\${AWS::AccountId}:stack/${NONE}/*`]).map((x) => sub(`arn:\${AWS::Partition}:cloudformation:${x}`)),
    cloudFormationRoleArns: cfnRoles.length ? cfnRoles : [sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${NONE}`)],
    beanstalkVersionArns: (ebVersions.length ? ebVersions : [`\${AWS::Region}:\${AWS::AccountId}:applicationversion/${NONE}/*`]).map((x) => sub(`arn:\${AWS::Partition}:elasticbeanstalk:${x}`)),
    beanstalkEnvironmentArns: (ebEnvironments.length ? ebEnvironments : [`\${AWS::Region}:\${AWS::AccountId}:environment/${NONE}/${NONE}`]).map((x) => sub(`arn:\${AWS::Partition}:elasticbeanstalk:${x}`)),
    beanstalkBundleArns: (ebBundles.length ? ebBundles : [`${NONE}/*`]).map((x) => sub(`arn:\${AWS::Partition}:s3:::${x}`)),
    approvalTopicArns: topics.length ? topics : [sub(`arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${NONE}`)],
  };
}

module.exports = async ({ resolveVariable }) => forStage(await resolveVariable("sls:stage"), await resolveVariable("self:service"), true);
module.exports.forStage = forStage;
module.exports.loadStack = loadStack;
module.exports.NONE = NONE;
