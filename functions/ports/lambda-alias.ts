/** A Lambda alias as GetAlias/UpdateAlias report it. `weights`: AdditionalVersionWeights (fractions). */
export interface AliasConfig {
  aliasArn: string;
  functionVersion: string;
  weights: Record<string, number>;
  /** Changes on every update of the alias (Lambda API, AliasConfiguration.RevisionId). */
  revisionId: string;
}

/** The Lambda alias, read and written with its RevisionId. */
export interface LambdaAliasPort {
  getAlias(functionName: string, alias: string): Promise<AliasConfig>;
  /**
   * UpdateAlias carrying `revisionId`: Lambda refuses the write when the alias changed since that revision
   * (PreconditionFailedException), which this port reports as `Deploy.TrafficConflict`.
   */
  updateAlias(functionName: string, alias: string, to: { functionVersion: string; weights: Record<string, number> }, revisionId: string): Promise<AliasConfig>;
}
