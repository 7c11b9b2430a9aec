/** A Lambda alias as the deployment sees it: the version it serves and any weighted second version. */
export interface LambdaAlias {
  aliasArn: string;
  functionVersion: string;
  weights: Record<string, number>;
}

/** Reading aliases. A missing function or alias throws `Deploy.ResourceNotFound`; throttling and 5xx `Deploy.Transient`. */
export interface LambdaAliasPort {
  getAlias(functionName: string, alias: string): Promise<LambdaAlias>;
}
