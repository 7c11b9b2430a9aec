/** Secrets the stack reads at run time (a webhook's shared secret), by name. Undefined when there is none by that name. */
export interface SecretsPort {
  secret(name: string): Promise<string | undefined>;
}
