/**
 * Points every AWS SDK client in this process at `endpoint` through the standard environment
 * (AWS_ENDPOINT_URL, region, credentials) for the duration of `fn`, the same way a Lambda or a
 * developer shell would be configured, then restores the previous values.
 */
const KEYS = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;

export async function withAwsEndpoint<T>(
  endpoint: string | undefined,
  fn: () => Promise<T>,
  opts: { simulatedCredentials?: boolean; region?: string; dynamoDbEndpoint?: string } = { simulatedCredentials: true },
): Promise<T> {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  if (endpoint) process.env.AWS_ENDPOINT_URL = endpoint;
  // The registry table lives in dynalite (a real DynamoDB wire protocol), not in the simulated account.
  if (opts.dynamoDbEndpoint) process.env.AWS_ENDPOINT_URL_DYNAMODB = opts.dynamoDbEndpoint;
  if (opts.region || opts.simulatedCredentials) process.env.AWS_REGION = opts.region ?? process.env.AWS_REGION ?? "us-east-1";
  if (opts.simulatedCredentials) {
    // The simulated account accepts any credentials; real endpoints use the standard chain.
    process.env.AWS_ACCESS_KEY_ID = "simulated";
    process.env.AWS_SECRET_ACCESS_KEY = "simulated";
    delete process.env.AWS_SESSION_TOKEN;
  }
  try {
    return await fn();
  } finally {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
