import { ValidationError } from "../errors.js";

/**
 * A task definition as a deployment may name it, as ECS accepts it (ECS API reference,
 * DescribeTaskDefinition `taskDefinition`): a family (its latest ACTIVE revision), `family:revision`,
 * or a full ARN `arn:<partition>:ecs:<region>:<account>:task-definition/<family>:<revision>`.
 * The deployment resolves it once (DescribeTaskDefinition) and records the ARN it used.
 */
export type TaskDefinitionRef =
  | { form: "arn"; arn: string; family: string; revision: number }
  | { form: "family:revision"; family: string; revision: number }
  | { form: "family"; family: string };

const FAMILY = "[a-zA-Z0-9_-]{1,255}";
const ARN = new RegExp(`^arn:aws[a-zA-Z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/(${FAMILY}):([1-9]\\d*)$`);
const FAMILY_REVISION = new RegExp(`^(${FAMILY}):([1-9]\\d*)$`);
const FAMILY_ONLY = new RegExp(`^${FAMILY}$`);

export function parseTaskDefinitionRef(value: unknown, field = "taskDefinition"): TaskDefinitionRef {
  if (typeof value !== "string" || value === "") throw new ValidationError(field, "must be a task definition ARN, family:revision or family");
  const arn = ARN.exec(value);
  if (arn) return { form: "arn", arn: value, family: arn[1] as string, revision: Number(arn[2]) };
  const fr = FAMILY_REVISION.exec(value);
  if (fr) return { form: "family:revision", family: fr[1] as string, revision: Number(fr[2]) };
  if (FAMILY_ONLY.test(value)) return { form: "family", family: value };
  if (/^<[A-Z0-9_]+>$|^\{\{.*\}\}$|^\$\{.*\}$/.test(value)) throw new ValidationError(field, `is an unrendered placeholder ${value}; render the template before deploying`);
  throw new ValidationError(field, `must be a task definition ARN (arn:aws:ecs:region:account:task-definition/family:revision), family:revision or a family of 1-255 letters, digits, _ and -, got '${value}'`);
}

/** The reference as DescribeTaskDefinition and CreateTaskSet take it. */
export function taskDefinitionRefText(ref: TaskDefinitionRef): string {
  switch (ref.form) {
    case "arn":
      return ref.arn;
    case "family:revision":
      return `${ref.family}:${ref.revision}`;
    case "family":
      return ref.family;
  }
}

/** `family:revision` of a task definition ARN (for messages and events). */
export function shortTaskDefinition(arn: string): string {
  return arn.split("/").at(-1) ?? arn;
}
