import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { AliasConfig, LambdaAliasPort } from "../../../functions/ports/lambda-alias.js";
import type { LambdaFunctionsPort } from "../../../functions/ports/lambda-functions.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const nameOf = (fn: string) => fn.split(":").at(-1) ?? fn;

/**
 * Lambda in memory: functions with published versions, aliases with a RevisionId that changes on every write
 * (UpdateAlias with another revision is Deploy.TrafficConflict, as the adapter reports Lambda's
 * PreconditionFailedException), hooks answering scripted payloads.
 */
export class FakeLambda implements LambdaAliasPort, LambdaFunctionsPort {
  readonly versions = new Map<string, number>();
  readonly aliases = new Map<string, Omit<AliasConfig, "aliasArn">>();
  readonly hookResults = new Map<string, { functionError?: string; payload: string }>();
  readonly invocations: { functionName: string; payload: unknown }[] = [];
  readonly writes: { functionName: string; alias: string; functionVersion: string; weights: Record<string, number> }[] = [];
  private revisions = 0;

  /** A function with versions 1..`versions` and `aliases` (name -> version). */
  addFunction(name: string, versions: number, aliases: Record<string, string> = {}): this {
    this.versions.set(name, versions);
    for (const [alias, version] of Object.entries(aliases)) this.aliases.set(`${name}:${alias}`, { functionVersion: version, weights: {}, revisionId: this.nextRevision() });
    return this;
  }
  /** Another writer changes the alias (a new revision). */
  otherWriter(functionName: string, alias: string, functionVersion: string, weights: Record<string, number> = {}): void {
    this.aliases.set(`${nameOf(functionName)}:${alias}`, { functionVersion, weights, revisionId: this.nextRevision() });
  }
  private nextRevision(): string {
    this.revisions += 1;
    return `rev-${this.revisions}`;
  }
  private alias(functionName: string, alias: string) {
    const a = this.aliases.get(`${nameOf(functionName)}:${alias}`);
    if (!a) throw new StepDeployError(ErrorNames.ResourceNotFound, `GetAlias ${functionName}:${alias}: ResourceNotFoundException: Alias not found`);
    return a;
  }
  async getAlias(functionName: string, alias: string): Promise<AliasConfig> {
    return { aliasArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${nameOf(functionName)}:${alias}`, ...structuredClone(this.alias(functionName, alias)) };
  }
  async updateAlias(functionName: string, alias: string, to: { functionVersion: string; weights: Record<string, number> }, revisionId: string): Promise<AliasConfig> {
    if (this.alias(functionName, alias).revisionId !== revisionId) throw new StepDeployError(ErrorNames.TrafficConflict, `UpdateAlias ${functionName}:${alias}: the alias changed since revision ${revisionId}`);
    this.writes.push({ functionName, alias, ...structuredClone(to) });
    this.aliases.set(`${nameOf(functionName)}:${alias}`, { ...structuredClone(to), revisionId: this.nextRevision() });
    return this.getAlias(functionName, alias);
  }
  async getFunctionVersion(functionName: string, qualifier?: string) {
    const count = this.versions.get(nameOf(functionName));
    if (count === undefined || (qualifier !== undefined && !(Number(qualifier) >= 1 && Number(qualifier) <= count))) {
      throw new StepDeployError(ErrorNames.ResourceNotFound, `GetFunctionConfiguration ${functionName}${qualifier ? `:${qualifier}` : ""}: ResourceNotFoundException`);
    }
    return { version: qualifier ?? "$LATEST", functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${nameOf(functionName)}` };
  }
  async invoke(functionName: string, payload: unknown) {
    this.invocations.push({ functionName, payload: structuredClone(payload) });
    return this.hookResults.get(functionName) ?? { payload: JSON.stringify({ status: "Succeeded" }) };
  }
}
