import { AwsError, constraintMessage } from "../shared/protocol/errors.js";

/**
 * Lambda's FunctionName forms (API reference, e.g. UpdateAlias "Name formats"): `MyFunction`,
 * `MyFunction:qualifier`, `123456789012:function:MyFunction[:qualifier]`,
 * `arn:aws:lambda:us-west-2:123456789012:function:MyFunction[:qualifier]`; pattern and the
 * 140-character limit are the documented model constraints.
 */
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export interface FunctionRef {
  name: string;
  qualifier?: string;
  /** Region/account named in an ARN, when given. */
  region?: string;
  accountId?: string;
}

export function parseFunctionName(raw: string): FunctionRef {
  const m = raw.length <= 140 ? FUNCTION_NAME.exec(raw) : null;
  if (!m?.[7] || (m[7].length > 64 && !m[1])) {
    throw new AwsError(
      "ValidationException",
      constraintMessage(raw, "functionName", `Member must satisfy regular expression pattern: ${FUNCTION_NAME.source.slice(1, -1)}`),
      { status: 400 },
    );
  }
  const ref: FunctionRef = { name: m[7] };
  if (m[9]) ref.qualifier = m[9];
  if (m[3]) ref.region = m[3].slice(0, -1);
  if (m[5]) ref.accountId = m[5].slice(0, -1);
  return ref;
}

/** Alias names: 1-128 characters, `(?!^[0-9]+$)([a-zA-Z0-9-_]+)` (not all digits). */
export function validAliasName(name: string): boolean {
  return name.length >= 1 && name.length <= 128 && /^[a-zA-Z0-9-_]+$/.test(name) && !/^[0-9]+$/.test(name);
}
