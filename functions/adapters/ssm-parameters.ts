import { GetParameterCommand } from "@aws-sdk/client-ssm";
import type { SecretsPort } from "../ports/secrets.js";
import { toStepDeployError } from "./aws-errors.js";
import { ssmClient } from "./ssm.js";

/**
 * Systems Manager Parameter Store as the secrets port: GetParameter WithDecryption (a SecureString with the
 * account's aws/ssm key needs no kms:Decrypt grant). ParameterNotFound is "no secret"; every other error is
 * the service's. Read on every use: a rotated secret applies at once.
 */
export function createParameterSecretsAdapter(): SecretsPort {
  return {
    async secret(name) {
      try {
        const out = await ssmClient().send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        return out.Parameter?.Value;
      } catch (e) {
        if ((e as { name?: string }).name === "ParameterNotFound") return undefined;
        throw toStepDeployError(e, "ssm:GetParameter");
      }
    },
  };
}
