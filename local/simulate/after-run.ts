import { registry } from "../../functions/wiring.js";
import type { SimAccount } from "../account/index.js";
import { AwsError } from "../account/shared/protocol/errors.js";

/**
 * What the simulator reads once a run is over, for the report: the alias as the run left it, the
 * registry's record and lock. A scenario whose function, alias, application or group name is wrong
 * still gets its report (the deployment itself failed with a named error saying so): what cannot
 * be read is null, and `missing` says why, instead of the read's own error ending the simulation.
 */
export interface AliasState {
  functionVersion: string;
  additionalVersionWeights: Record<string, number>;
}

export interface RegistryState {
  status: string | null;
  errorName: string | null;
  lockHolder: string | null;
}

export interface AfterRun {
  finalAlias: AliasState | null;
  registry: RegistryState;
  /** What could not be read, and why. */
  missing: string[];
}

export async function readAfterRun(account: SimAccount, input: Record<string, unknown>, deploymentId: string, opts: { alias?: boolean } = {}): Promise<AfterRun> {
  const missing: string[] = [];
  const functionName = String(input.functionName);
  const aliasName = String(input.alias);
  let finalAlias: AliasState | null = null;
  // An ECS deployment has no alias: its routes and task sets are reported instead (run-scenario.ts).
  if (opts.alias !== false) try {
    const a = account.getAlias(functionName, aliasName);
    finalAlias = { functionVersion: a.functionVersion, additionalVersionWeights: a.additionalVersionWeights };
  } catch (e) {
    if (!(e instanceof AwsError && e.code === "ResourceNotFoundException")) throw e;
    const functions = account.lambda.functionNames();
    missing.push(
      functions.includes(functionName)
        ? `alias: ${functionName} has no alias ${aliasName} (its aliases: ${[...account.lambda.get(functionName).aliases.keys()].join(", ") || "none"})`
        : `functionName: the simulated account has no function ${functionName} (its functions: ${functions.join(", ") || "none"})`,
    );
  }
  const state: RegistryState = { status: null, errorName: null, lockHolder: null };
  try {
    const record = await registry().getDeployment(deploymentId);
    state.status = record?.status ?? null;
    state.errorName = record?.errorName ?? null;
    const lock = record?.lockKey ? await registry().getLock({ lockKey: record.lockKey }) : undefined;
    state.lockHolder = lock?.holderDeploymentId ?? null;
  } catch (e) {
    // A name the registry refuses (Deploy.InvalidInput): the deployment was refused for it too.
    if (!(e instanceof Error && e.name.startsWith("Deploy."))) throw e;
    missing.push(`registry not read: ${e.message}`);
  }
  return { finalAlias, registry: state, missing };
}

/**
 * An execution's cause as a person reads it. Step Functions reports a Lambda task's failure cause as the
 * function's error in JSON text (`{"errorType","errorMessage","trace"}`), and a failed `.sync` child as its
 * description in JSON text (`{"Name","Error","Cause",...}`, whose Cause may be either again): a report shows the
 * message, with the child's name and error in front. Anything else is already readable.
 */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  let parsed: { errorMessage?: unknown; Error?: unknown; Cause?: unknown; Name?: unknown };
  try {
    parsed = JSON.parse(cause) as typeof parsed;
  } catch {
    return cause;
  }
  if (typeof parsed?.errorMessage === "string") return parsed.errorMessage;
  if (typeof parsed?.Error === "string") {
    const inner = readableCause(typeof parsed.Cause === "string" ? parsed.Cause : undefined);
    return `${typeof parsed.Name === "string" ? `execution ${parsed.Name} failed: ` : ""}${parsed.Error}${inner ? `: ${inner}` : ""}`;
  }
  return cause;
}
