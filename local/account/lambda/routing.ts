import { AwsError, constraintMessage } from "../shared/protocol/errors.js";

/**
 * Validation of an alias target (FunctionVersion + RoutingConfig.AdditionalVersionWeights), in
 * the order the simulated Lambda applies it. Rules and sources:
 *  - "You can point an alias to a maximum of two Lambda function versions" and "Both versions must
 *    be published. The alias can't point to $LATEST" (Lambda DG, configuring-alias-routing);
 *  - key pattern `[0-9]+`, value range [0.0, 1.0] (API reference, AliasRoutingConfiguration);
 *  - weights strictly between 0 and 1 for a non-empty map: the project spec's rule (an empty map
 *    is how routing is removed). AWS documents the inclusive range; we keep the stricter rule.
 *  - the additional version must differ from FunctionVersion.
 * Error messages are ours unless quoted from AWS (`Function not found: <arn>` matches AWS).
 */
const invalid = (message: string) => new AwsError("InvalidParameterValueException", message, { status: 400 });

export interface AliasTarget {
  functionVersion: string;
  weights: Record<string, number>;
}

export function checkAliasTarget(
  functionArn: string,
  target: { functionVersion: string; weights: Record<string, unknown> },
  versionExists: (v: string) => boolean,
): AliasTarget {
  const { functionVersion } = target;
  if (!/^(\$LATEST|[0-9]+)$/.test(functionVersion)) {
    throw new AwsError("ValidationException", constraintMessage(functionVersion, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)"), { status: 400 });
  }
  if (!versionExists(functionVersion)) {
    throw new AwsError("ResourceNotFoundException", `Function not found: ${functionArn}:${functionVersion}`, { status: 404 });
  }
  const entries = Object.entries(target.weights);
  if (entries.length === 0) return { functionVersion, weights: {} };
  if (entries.length > 1) throw invalid(`Only one additional version is supported in AdditionalVersionWeights; got ${entries.length} (${entries.map(([v]) => v).join(", ")}).`);
  const [version, weight] = entries[0] as [string, unknown];
  if (version === "$LATEST" || functionVersion === "$LATEST") {
    throw invalid("$LATEST is not supported for an alias pointing to more than 1 version");
  }
  if (!/^[0-9]+$/.test(version)) {
    throw new AwsError("ValidationException", constraintMessage(version, "routingConfig.additionalVersionWeights", "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]"), { status: 400 });
  }
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0 || weight >= 1) {
    throw invalid(`Invalid weight ${JSON.stringify(weight)} for version ${version}: an additional version weight must be greater than 0.0 and less than 1.0.`);
  }
  if (!versionExists(version)) {
    throw new AwsError("ResourceNotFoundException", `Function not found: ${functionArn}:${version}`, { status: 404 });
  }
  if (version === functionVersion) {
    throw invalid(`Version ${version} cannot be both the alias's FunctionVersion and an additional version.`);
  }
  return { functionVersion, weights: { [version]: weight } };
}
