/**
 * Points every AWS SDK client in this process at `endpoint` through the standard environment
 * (AWS_ENDPOINT_URL, region, credentials) for the duration of `fn`, the same way a Lambda or a
 * developer shell would be configured, then restores the previous values.
 */
const KEYS = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;

export async function withAwsEndpoint<T>(
  endpoint: string | undefined,
  fn: () => Promise<T>,
  opts: { simulatedCredentials?: boolean; region?: string; dynamoDbEndpoint?: string; s3Endpoint?: string } = { simulatedCredentials: true },
): Promise<T> {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  if (endpoint) process.env.AWS_ENDPOINT_URL = endpoint;
  // The registry table lives in dynalite (a real DynamoDB wire protocol), not in the simulated account.
  if (opts.dynamoDbEndpoint) process.env.AWS_ENDPOINT_URL_DYNAMODB = opts.dynamoDbEndpoint;
  // So do release bundles: s3rver, a real S3 wire protocol.
  if (opts.s3Endpoint) process.env.AWS_ENDPOINT_URL_S3 = opts.s3Endpoint;
  if (opts.region || opts.simulatedCredentials) process.env.AWS_REGION = opts.region ?? process.env.AWS_REGION ?? "us-east-1";
  if (opts.simulatedCredentials) {
    // The simulated account and dynalite accept any credentials; s3rver knows only its own key pair
    // (S3RVER/S3RVER). Real endpoints use the standard chain.
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
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
