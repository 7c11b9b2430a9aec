import { canonicalFunctionArn, type Placement } from "../traffic/target.js";

type Problem = { field: string; reason: string };

/**
 * IAM-style pattern of a function name (`*` any run of characters, `?` one), as the stack parameter
 * `hookFunctionPattern` grants the functions (serverless.yml: `function:${param:hookFunctionPattern}`).
 */
export function matchesNamePattern(name: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(name);
}

/**
 * Which hooks a deployment may invoke, checked before anything changes: a hook must be in the deployment's
 * own account and region and match `hookFunctionPattern` (the stack's grant; CodeDeploy's managed role
 * allows `CodeDeployHook_*` the same way), and it may not be the function being deployed (its own new
 * version would judge itself). Each problem names the hook's field.
 */
export function hookProblems(
  hooks: Partial<Record<string, string | number | null>>,
  context: { functionName?: string; where: Placement; pattern: string },
  keys: readonly string[] = ["beforeAllowTraffic", "afterAllowTraffic"],
): Problem[] {
  // An ECS deployment deploys no function: no hook can be the target.
  const target = context.functionName === undefined ? undefined : canonicalFunctionArn(context.functionName, context.where);
  const problems: Problem[] = [];
  for (const key of keys) {
    const hook = hooks[key];
    if (typeof hook !== "string" || !hook) continue;
    const field = `hooks.${key}`;
    const arn = canonicalFunctionArn(hook, context.where, field);
    const [, , , region, account, , name = ""] = arn.split(":");
    if (arn === target) problems.push({ field, reason: `${hook} is the function being deployed; a hook must be another function` });
    else if (account !== context.where.account || region !== context.where.region) {
      problems.push({ field, reason: `${hook} is outside this stack's account and region (${context.where.account}, ${context.where.region})` });
    } else if (!matchesNamePattern(name, context.pattern)) {
      problems.push({ field, reason: `${name} does not match hookFunctionPattern '${context.pattern}' (the stack may invoke only those hooks)` });
    }
  }
  return problems;
}
