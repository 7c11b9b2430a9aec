/**
 * SDK clients, one per service and endpoint. The SDK reads region, credentials and
 * AWS_ENDPOINT_URL from the standard environment, so the same code talks to AWS, LocalStack,
 * moto or the simulated account. Clients are cached per endpoint so a warm Lambda reuses its
 * connections while a process that changes endpoint (the local simulator) gets a fresh client.
 */
const cache = new Map<string, unknown>();

export function cachedClient<T>(service: string, create: () => T): T {
  const key = `${service}|${process.env.AWS_ENDPOINT_URL ?? ""}|${process.env.AWS_REGION ?? ""}`;
  let client = cache.get(key) as T | undefined;
  if (!client) {
    client = create();
    cache.set(key, client);
  }
  return client;
}
