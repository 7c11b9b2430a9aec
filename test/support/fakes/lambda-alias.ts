import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { AliasConfig, LambdaAliasPort } from "../../../functions/ports/lambda-alias.js";

/** Aliases in memory, keyed `function:alias`. A missing one throws Deploy.ResourceNotFound as the adapter does. */
/** Read-only (what release planning uses); the deployment handlers' full fake is FakeLambda. */
export class FakeLambdaAliases implements Pick<LambdaAliasPort, "getAlias"> {
  readonly aliases = new Map<string, AliasConfig>();
  readonly reads: string[] = [];

  set(functionName: string, alias: string, functionVersion: string, weights: Record<string, number> = {}): this {
    this.aliases.set(`${functionName}:${alias}`, { aliasArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}:${alias}`, functionVersion, weights, revisionId: `rev-${this.aliases.size + 1}` });
    return this;
  }

  async getAlias(functionName: string, alias: string): Promise<AliasConfig> {
    this.reads.push(`${functionName}:${alias}`);
    const found = this.aliases.get(`${functionName}:${alias}`);
    if (!found) throw new StepDeployError(ErrorNames.ResourceNotFound, `GetAlias ${functionName}:${alias}: ResourceNotFoundException`);
    return { ...found, weights: { ...found.weights } };
  }
}
