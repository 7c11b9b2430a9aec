// The stack's deploy-time parameters, checked before anything is packaged or deployed:
// `${file(./config/stack-params.cjs):checked}` in serverless.yml (custom.stack). A missing or too broad
// targetFunctionPattern fails `osls package` / `osls deploy` with a message that says how to set it.
// docs/security.md explains every parameter.
const { readSources } = require("./releases.cjs");

// The function-name part of a Lambda ARN, with IAM's wildcards: what serverless.yml puts after
// `function:` in every grant (Lambda names are A-Z a-z 0-9 _ -; `:` would reach into qualifiers).
const PATTERN = /^[A-Za-z0-9_*?-]{1,140}$/;
const LOG_LEVELS = ["OFF", "ERROR", "FATAL", "ALL"];

/**
 * IAM's reading of `*` (any run, also none) and `?` (one character); the other characters are literal
 * (checked by PATTERN first). Both sides are the deployer's own configuration, read once at packaging.
 */
const matches = (name, pattern) => new RegExp(`^${pattern.replaceAll("*", ".*").replaceAll("?", ".")}$`).test(name);

// What each pattern lets the roles do, and an example of a narrow one.
const PATTERNS = {
  targetFunctionPattern: { verb: "deploy", grants: "replace the code and move the aliases of", example: "orders-*" },
  hookFunctionPattern: { verb: "invoke as hooks", grants: "invoke, as deployment hooks,", example: "CodeDeployHook_orders*" },
};

function checkPattern(name, value, problems) {
  const { verb, grants, example } = PATTERNS[name];
  const param = `--param="${name}=${example}"`;
  if (value === undefined || value === null || value === "") {
    problems.push(
      `${name} is not set: the stack allows no function until you name the ones stepdeploy may ${verb}. ` +
        `Deploy with e.g. npx osls deploy --stage <stage> ${param} (the function-name part of a Lambda ARN; * and ? are wildcards; docs/security.md)`,
    );
    return;
  }
  const text = String(value);
  if (!PATTERN.test(text)) {
    problems.push(`${name} '${text}' is not a function-name pattern: use the characters of Lambda function names (A-Z a-z 0-9 _ -) and the wildcards * and ?, without 'arn:' or ':'`);
  } else if (/^[*?]+$/.test(text)) {
    problems.push(`${name} '${text}' matches every function in the account and region: the roles could ${grants} all of them, so it is refused. Name the functions, e.g. ${param}`);
  }
}

function flag(name, value, problems) {
  if (value === true || value === "true") return true;
  if (value === false || value === "false" || value === undefined) return false;
  problems.push(`${name} must be true or false, got '${value}'`);
  return false;
}

/**
 * Checks the parameters and returns what serverless.yml uses. `service` is the prefix of
 * stepdeploy's own function names, which no release source may name (the roles deny them anyway).
 */
function check(params, { stage, service }) {
  const problems = [];
  checkPattern("targetFunctionPattern", params.targetFunctionPattern, problems);
  const targetPatternOk = problems.length === 0;
  checkPattern("hookFunctionPattern", params.hookFunctionPattern, problems);
  const tracing = flag("tracing", params.tracing, problems);
  const executionLogData = flag("executionLogData", params.executionLogData, problems);
  const executionLogLevel = params.executionLogLevel === undefined ? "OFF" : String(params.executionLogLevel);
  // ELBv2 target group names are letters, digits and hyphens (at most 32); * and ? are IAM's wildcards in the ARN.
  if (params.serverTargetGroupPattern !== undefined) {
    const tg = String(params.serverTargetGroupPattern);
    if (!/^[A-Za-z0-9*?-]{1,64}$/.test(tg)) problems.push(`serverTargetGroupPattern '${tg}' is not a target group name pattern: letters, digits, - and the wildcards * and ?`);
    else if (/^[*?]+$/.test(tg)) problems.push(`serverTargetGroupPattern '${tg}' matches every target group in the account and region: EC2 deployments could deregister any instance from any load balancer, so it is refused. Name them, e.g. --param="serverTargetGroupPattern=orders-*"`);
  }
  // Classic Load Balancer names are letters, digits and hyphens (at most 32); * and ? are IAM's wildcards in the ARN.
  if (params.serverClassicLoadBalancerPattern !== undefined) {
    const lb = String(params.serverClassicLoadBalancerPattern);
    if (!/^[A-Za-z0-9*?-]{1,64}$/.test(lb)) problems.push(`serverClassicLoadBalancerPattern '${lb}' is not a load balancer name pattern: letters, digits, - and the wildcards * and ?`);
    else if (/^[*?]+$/.test(lb)) problems.push(`serverClassicLoadBalancerPattern '${lb}' matches every Classic Load Balancer in the account and region: EC2 deployments could deregister any instance from any of them, so it is refused. Name them, e.g. --param="serverClassicLoadBalancerPattern=orders-*"`);
  }
  // Auto Scaling group names: up to 255 characters; stepdeploy takes letters, digits, - and _ plus IAM's * and ?.
  if (params.serverAutoScalingGroupPattern !== undefined) {
    const asg = String(params.serverAutoScalingGroupPattern);
    if (!/^[A-Za-z0-9_*?-]{1,255}$/.test(asg)) problems.push(`serverAutoScalingGroupPattern '${asg}' is not an Auto Scaling group name pattern: letters, digits, -, _ and the wildcards * and ?`);
    else if (/^[*?]+$/.test(asg)) problems.push(`serverAutoScalingGroupPattern '${asg}' matches every Auto Scaling group in the account and region: stepdeploy could hold or abandon any group's launches, so it is refused. Name them, e.g. --param="serverAutoScalingGroupPattern=orders-*"`);
  }
  // IAM role names are letters, digits and +=,.@_- (at most 64); * and ? are IAM's wildcards in the ARN.
  if (params.serverInstanceRolePattern !== undefined) {
    const role = String(params.serverInstanceRolePattern);
    if (!/^[A-Za-z0-9+=,.@_*?-]{1,64}$/.test(role)) problems.push(`serverInstanceRolePattern '${role}' is not a role name pattern: letters, digits, +=,.@_- and the wildcards * and ?`);
    else if (/^[*?]+$/.test(role)) problems.push(`serverInstanceRolePattern '${role}' matches every role in the account: a copied Auto Scaling group could launch instances with any role, so it is refused. Name them, e.g. --param="serverInstanceRolePattern=orders-instance-*"`);
  }
  // A flat Parameter Store name: the role's ARN is parameter/<name> (a path /a/b would need its slash dropped there).
  if (params.gitWebhookSecretParameter !== undefined && !/^[A-Za-z0-9_.-]{1,1011}$/.test(String(params.gitWebhookSecretParameter))) {
    problems.push(`gitWebhookSecretParameter '${params.gitWebhookSecretParameter}' must be a Parameter Store name without a path: letters, digits, _ . - (e.g. stepdeploy-git-webhook-secret)`);
  }
  if (!LOG_LEVELS.includes(executionLogLevel)) problems.push(`executionLogLevel must be one of ${LOG_LEVELS.join(", ")}, got '${executionLogLevel}'`);
  // Every function a release source may deploy must be one the deployment roles may shift, and never stepdeploy's own.
  const { file, sources } = readSources(stage);
  for (const source of sources) {
    const targets = [...(source.functions ?? []), ...(source.function ? [source.function] : [])];
    for (const { name } of targets) {
      if (typeof name === "string" && name.startsWith(`${service}-`)) problems.push(`config/${file}: release source '${source.name}' names ${name}, one of stepdeploy's own functions`);
      else if (targetPatternOk && typeof name === "string" && !matches(name, String(params.targetFunctionPattern))) {
        problems.push(`config/${file}: release source '${source.name}' deploys ${name}, which targetFunctionPattern '${params.targetFunctionPattern}' does not cover`);
      }
    }
  }
  if (problems.length) {
    // No stack trace: the framework prints the message as the reason the configuration cannot be resolved.
    const error = new Error(problems.join("\n  - "));
    error.stack = "";
    throw error;
  }
  return {
    targetFunctionPattern: params.targetFunctionPattern,
    hookFunctionPattern: params.hookFunctionPattern,
    tracing,
    lambdaTracing: tracing ? "Active" : "PassThrough",
    executionLogLevel,
    executionLogData,
  };
}

const NAMES = ["targetFunctionPattern", "hookFunctionPattern", "tracing", "executionLogLevel", "executionLogData", "gitWebhookSecretParameter", "serverTargetGroupPattern", "serverClassicLoadBalancerPattern", "serverInstanceRolePattern", "serverAutoScalingGroupPattern"];

module.exports = async ({ resolveVariable }) => {
  const params = {};
  for (const name of NAMES) {
    try {
      params[name] = await resolveVariable(`param:${name}`);
    } catch (e) {
      // A variable that waits on another one must propagate; a parameter nobody set is checked below.
      if (e && e.code === "MISSING_VARIABLE_DEPENDENCY") throw e;
    }
  }
  return { checked: check(params, { stage: await resolveVariable("sls:stage"), service: await resolveVariable("self:service") }) };
};
module.exports.check = check;
