import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { cachedClient } from "./clients.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { AliasConfig, LambdaAliasPort } from "../ports/lambda-alias.js";
import type { LambdaFunctionsPort } from "../ports/lambda-functions.js";
import { toStepDeployError } from "./aws-errors.js";
import type { LambdaCodePort } from "../ports/lambda-code.js";

/** The narrow slice of Lambda that stepdeploy's handlers use. */
export type AliasState = AliasConfig;

export const lambdaClient = (): LambdaClient => cachedClient("lambda", (options) => new LambdaClient(options));


type AliasOutput = { AliasArn?: string; FunctionVersion?: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> }; RevisionId?: string };
const aliasConfig = (out: AliasOutput): AliasConfig => ({
  aliasArn: out.AliasArn ?? "",
  functionVersion: out.FunctionVersion ?? "",
  weights: out.RoutingConfig?.AdditionalVersionWeights ?? {},
  revisionId: out.RevisionId ?? "",
});

export async function getAlias(functionName: string, alias: string, client = lambdaClient()): Promise<AliasState> {
  try {
    return aliasConfig(await client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })));
  } catch (e) {
    throw toStepDeployError(e, `GetAlias ${functionName}:${alias}`);
  }
}

/**
 * UpdateAlias with RevisionId: Lambda answers PreconditionFailedException when the alias changed since that
 * revision (Lambda API reference, UpdateAlias; "The RevisionId provided does not match the latest RevisionId"),
 * reported as Deploy.TrafficConflict. `weights: {}` clears the routing config.
 */
export async function updateAlias(
  functionName: string,
  alias: string,
  to: { functionVersion: string; weights: Record<string, number> },
  revisionId: string,
  client = lambdaClient(),
): Promise<AliasState> {
  try {
    const out = await client.send(
      new UpdateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: to.functionVersion, RoutingConfig: { AdditionalVersionWeights: to.weights }, RevisionId: revisionId }),
    );
    return aliasConfig(out);
  } catch (e) {
    if ((e as Error).name === "PreconditionFailedException") {
      throw new StepDeployError(ErrorNames.TrafficConflict, `UpdateAlias ${functionName}:${alias}: the alias changed since revision ${revisionId}`, { cause: e });
    }
    throw toStepDeployError(e, `UpdateAlias ${functionName}:${alias}`);
  }
}

/** Resolves a function (optionally a version); throws Deploy.ResourceNotFound when it does not exist. */
export async function getFunctionVersion(functionName: string, qualifier?: string, client = lambdaClient()): Promise<{ version: string; functionArn: string }> {
  try {
    const out = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }));
    return { version: out.Version ?? "", functionArn: out.FunctionArn ?? "" };
  } catch (e) {
    throw toStepDeployError(e, `GetFunctionConfiguration ${functionName}${qualifier ? `:${qualifier}` : ""}`);
  }
}

/** Synchronous invoke; returns the function error marker and the payload text. */
export async function invokeFunction(functionName: string, payload: unknown, client = lambdaClient()): Promise<{ functionError?: string; payload: string }> {
  try {
    const out = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    );
    return { functionError: out.FunctionError, payload: out.Payload ? new TextDecoder().decode(out.Payload) : "" };
  } catch (e) {
    throw toStepDeployError(e, `Invoke ${functionName}`);
  }
}

/**
 * Uploads a zip package to $LATEST (UpdateFunctionCode with ZipFile; Lambda accepts up to 50 MB this way).
 * An update still in progress (ResourceConflictException) is transient: the state machine retries.
 */
export async function updateFunctionZip(functionName: string, zip: Uint8Array, client = lambdaClient()): Promise<{ codeSha256: string; revisionId: string }> {
  try {
    const out = await client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
    return { codeSha256: out.CodeSha256 ?? "", revisionId: out.RevisionId ?? "" };
  } catch (e) {
    if ((e as Error).name === "ResourceConflictException") throw new StepDeployError(ErrorNames.Transient, `UpdateFunctionCode ${functionName}: ${(e as Error).message}`, { cause: e });
    throw toStepDeployError(e, `UpdateFunctionCode ${functionName}`);
  }
}

/**
 * The Lambda ports: the target alias (with RevisionId), versions, hooks, and release code uploads.
 * Without a client, each call takes the cached client of the current endpoint (clients.ts).
 * `functionExists` maps ResourceNotFound to false; every other failure stays named.
 */
export function createLambdaAdapter(client?: LambdaClient): LambdaAliasPort & LambdaFunctionsPort & LambdaCodePort {
  return {
    getAlias: (functionName, alias) => getAlias(functionName, alias, client),
    updateAlias: (functionName, alias, to, revisionId) => updateAlias(functionName, alias, to, revisionId, client),
    getFunctionVersion: (functionName, qualifier) => getFunctionVersion(functionName, qualifier, client),
    invoke: (functionName, payload) => invokeFunction(functionName, payload, client),
    updateFunctionZip: (functionName, zip) => updateFunctionZip(functionName, zip, client),
    functionExists: (functionName, qualifier) =>
      getFunctionVersion(functionName, qualifier, client).then(
        () => true,
        (e: StepDeployError) => {
          if (e.name === ErrorNames.ResourceNotFound) return false;
          throw e;
        },
      ),
  };
}
