import { ErrorNames, StepDeployError } from "../domain/errors.js";

interface SdkError {
  name?: string;
  message?: string;
  $retryable?: unknown;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

const THROTTLING = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
]);
const NETWORK = new Set(["TimeoutError", "RequestTimeout", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "socket hang up"]);

/** Throttling, 5xx and network failures are transient; everything else is the caller's problem. */
export function isTransient(error: unknown): boolean {
  const e = error as SdkError;
  if (!e || typeof e !== "object") return false;
  if (THROTTLING.has(e.name ?? "")) return true;
  if (e.$fault === "server" || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (NETWORK.has(e.name ?? "") || NETWORK.has(e.code ?? "")) return true;
  return Boolean(e.$retryable);
}

/**
 * Maps an AWS SDK error to a named error the state machine can match:
 * `Deploy.Transient` (retried by the ASL), `Deploy.ResourceNotFound`, or `Deploy.AwsError`.
 */
export function toStepDeployError(error: unknown, what: string): StepDeployError {
  if (error instanceof StepDeployError) return error;
  const e = error as SdkError;
  const detail = `${what}: ${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
  if (isTransient(error)) return new StepDeployError(ErrorNames.Transient, detail, { cause: error });
  if (e?.name === "ResourceNotFoundException") return new StepDeployError(ErrorNames.ResourceNotFound, detail, { cause: error });
  return new StepDeployError(ErrorNames.AwsError, detail, { cause: error });
}

/**
 * As toStepDeployError, for calls on stepdeploy's own registry table: a missing table is not one of the user's
 * resources (Deploy.ResourceNotFound names a function, alias or hook), so it gets its own name and says which
 * table and who creates it.
 */
export function toRegistryError(error: unknown, what: string, tableName: string): StepDeployError {
  if ((error as SdkError)?.name !== "ResourceNotFoundException") return toStepDeployError(error, what);
  return new StepDeployError(
    ErrorNames.RegistryTableMissing,
    `${what}: the registry table '${tableName}' (STEPDEPLOY_TABLE) does not exist at this endpoint; deploy the stack, or use \`stepdeploy run\`, which creates it`,
    { cause: error },
  );
}

/** Runs one SDK call, its error mapped by toStepDeployError with `what` (the call and what it names) in front. */
export async function withAwsErrors<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toStepDeployError(e, what);
  }
}
