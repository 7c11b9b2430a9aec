import { type At, type Checker, child, isPlaceholder, required, str, unknownKeys } from "./check.js";
import type { MapNode } from "./document.js";
import { checkFunctionHooks, checkType, singleResource } from "./function-hooks.js";
import type { AppSpecHook, AppSpecResource } from "./types.js";
import { checkVersion } from "./version.js";

/**
 * Lambda AppSpec (codedeploy-spec §4.2; UG reference-appspec-file-structure-resources). Section and property
 * keys are matched case-insensitively because the AWS docs spell them both ways (`Resources`/`resources`,
 * `TargetVersion`/`targetversion`); lifecycle event names are case-sensitive.
 */
const TOP_KEYS = ["version", "Resources", "Hooks"];
const PROPERTY_KEYS = ["Name", "Alias", "CurrentVersion", "TargetVersion"];
// Lambda's own name rules (Lambda API FunctionName / Alias Name patterns), as in domain/deployment/input.ts.
const FUNCTION_NAME = /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9-_]{1,64}$/;
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;

export function checkLambda(root: At<MapNode>, c: Checker, versionsOptional = false): { resources: AppSpecResource[]; hooks: AppSpecHook[] } {
  unknownKeys(root, TOP_KEYS, c, true, "is not part of a Lambda AppSpec and is ignored");
  checkVersion(root, "lambda", c);
  const resources: AppSpecResource[] = [];
  const res = singleResource(root, "AWS::Lambda::Function", "myLambdaFunction", c);
  if (res) {
    checkType(res.body, "AWS::Lambda::Function", c);
    const propsAt = required(res.body, "Properties", c, true, "give Name, Alias, CurrentVersion and TargetVersion");
    const props = propsAt && propsAt.node.kind === "map" ? (propsAt as At<MapNode>) : undefined;
    if (propsAt && !props) c.error(propsAt, "Properties must be a map with Name, Alias, CurrentVersion and TargetVersion");
    if (props) {
      unknownKeys(props, PROPERTY_KEYS, c, true, "is not a Lambda AppSpec property and is ignored");
      const name = checked(props, "Name", FUNCTION_NAME, "is not a valid Lambda function name or ARN", c);
      const alias = checked(props, "Alias", ALIAS_NAME, "is not a valid alias name (1-128 of A-Z a-z 0-9 - _, not all digits)", c);
      const errorsBefore = c.errors.length;
      const current = version(props, "CurrentVersion", c, versionsOptional);
      const target = version(props, "TargetVersion", c, versionsOptional);
      // Both read, or (release bundles) absent without being wrong.
      const versionsRead = versionsOptional ? c.errors.length === errorsBefore : current !== undefined && target !== undefined;
      if (current !== undefined && target !== undefined && current === target && !isPlaceholder(target)) {
        c.error(child(props, "TargetVersion", c, true)!, `TargetVersion equals CurrentVersion (${target}); CodeDeploy fails such a deployment with INVALID_LAMBDA_CONFIGURATION`);
      }
      if (name !== undefined && alias !== undefined && versionsRead) {
        resources.push({ kind: "lambda-function", logicalName: res.logicalName, name, alias, currentVersion: current, targetVersion: target, path: res.itemPath, line: res.line });
      }
    }
  }
  return { resources, hooks: checkFunctionHooks(root, "lambda", c) };
}

function checked(props: At<MapNode>, key: string, pattern: RegExp, problem: string, c: Checker): string | undefined {
  const at = required(props, key, c, true);
  const v = str(at, c, key);
  if (at && v !== undefined && !isPlaceholder(v) && !pattern.test(v)) {
    c.error(at, `${key} '${v}' ${problem}`);
    return undefined;
  }
  return v;
}

/** "must be a valid positive integer" (UG ...-resources); a published version, never $LATEST. */
function version(props: At<MapNode>, key: string, c: Checker, optional = false): string | undefined {
  const at = optional ? child(props, key, c, true) : required(props, key, c, true, "a published version number such as \"3\"");
  if (!at) return undefined;
  const n = at.node;
  const raw = n.kind === "scalar" ? n.value : undefined;
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : undefined;
  if (text !== undefined && isPlaceholder(text)) return text;
  if (text === undefined || !/^[0-9]{1,10}$/.test(text) || Number(text) < 1) {
    const hint = text === "$LATEST" ? "; $LATEST cannot be deployed, publish a version" : "";
    c.error(at, `${key} must be a published version number (a positive integer), got ${text === undefined ? "no number" : `'${text}'`}${hint}`);
    return undefined;
  }
  return String(Number(text));
}
