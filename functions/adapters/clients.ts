import type { LambdaClientConfig } from "@aws-sdk/client-lambda";
import { getSmithyContext, httpSigningMiddleware, httpSigningMiddlewareOptions } from "@smithy/core";
import { backoffClock, ClockedRetryStrategy } from "./backoff.js";

/**
 * SDK clients, one per service, endpoint and transport. The SDK reads region, credentials and
 * AWS_ENDPOINT_URL from the standard environment, so the same code talks to AWS, LocalStack,
 * moto or the simulated account. Clients are cached per endpoint so a warm Lambda reuses its
 * connections while a process that changes endpoint (the local simulator) gets a fresh client.
 *
 * The transport is the SDK's own `requestHandler` seam (a smithy HttpHandler). On AWS nothing
 * installs one and every client uses the SDK's default (node:http). A process that hosts the
 * AWS-compatible services itself (the local simulator) installs one for the whole process with
 * `useTransport`, as `useClock` (functions/lib/clock.ts) points handlers at the simulated clock:
 * clients created while it is installed are built with it (`create` receives it in its options),
 * and are dropped when it is removed. Endpoints keep coming from AWS_ENDPOINT_URL either way.
 *
 * The retry back-off is the same kind of seam (functions/adapters/backoff.ts): on AWS clients keep
 * the SDK's own retry strategy, which sleeps on the wall clock; while a process has installed a
 * back-off clock (`useBackoffClock`), clients are built with the SDK's standard strategy deciding
 * and that clock waiting, so a simulated account's throttles do not sleep in wall time.
 */
export type RequestHandler = NonNullable<LambdaClientConfig["requestHandler"]>;

/**
 * A transport that serves some hosts itself, in this process, with servers that do not verify SigV4
 * (local/account/shared/transport/in-process.ts: the simulated account and dynalite). Requests to those
 * hosts are not signed: computing a signature nobody checks was about a tenth of a simulated deployment's
 * CPU (four SHA-256/HMAC passes and a new signer per request). They still carry the SigV4 header's shape,
 * with the real credential scope and `Signature=UNSIGNED-IN-PROCESS` in place of the signature, which is
 * what the servers check (dynalite refuses a request without it). Serialization, validation, retries and
 * error parsing stay the SDK's own. Every other request, and every request on AWS, is signed as always.
 */
export interface UnsignedHosts {
  servesUnsigned(hostname: string): boolean;
}

/**
 * What `cachedClient` hands to `create`: spread it into the client's configuration.
 *
 * `cacheMiddleware` (the SDK's own option) resolves a client's middleware stack once per command
 * class instead of on every request: about 15% of a simulated deployment's CPU (231 -> 197 ms for
 * a canary in-process), and the same per-request saving in a warm Lambda. Nothing here changes a
 * client's middleware after its first request. The resolved handler shares one context between
 * requests of the same command, so a client whose endpoint depends on the request (S3: the bucket)
 * turns it off.
 */
export interface ClientOptions {
  cacheMiddleware?: boolean;
  requestHandler?: RequestHandler;
  retryStrategy?: ClockedRetryStrategy;
}

interface Installed {
  id: number;
  handler: RequestHandler;
}

let installed: Installed | undefined;
const transportIds = new WeakMap<object, number>();
let nextTransportId = 1;
const cache = new Map<string, unknown>();

/**
 * Installs the process-wide transport; returns the function that puts the previous one back.
 * Clients are cached per transport, so installing the same handler again reuses the clients built
 * with it (building a client and its first call cost milliseconds: credentials, region, endpoint rules).
 */
export function useTransport(handler: RequestHandler): () => void {
  const previous = installed;
  let id = transportIds.get(handler);
  if (id === undefined) {
    id = nextTransportId++;
    transportIds.set(handler, id);
  }
  const mine: Installed = { id, handler };
  installed = mine;
  return () => {
    if (installed === mine) installed = previous;
  };
}

/** The options every SDK client of this process is built with (empty unless a transport is installed). */
export function clientOptions(): ClientOptions {
  return installed ? { requestHandler: installed.handler } : {};
}

export function cachedClient<T>(service: string, create: (options: ClientOptions) => T): T {
  const env = process.env;
  const transport = installed?.id ?? 0;
  const serviceEndpoint = env[`AWS_ENDPOINT_URL_${service.split(":")[0]?.toUpperCase()}`] ?? "";
  const clocked = backoffClock() !== undefined;
  const key = `${service}|${env.AWS_ENDPOINT_URL ?? ""}|${serviceEndpoint}|${env.AWS_REGION ?? ""}|${transport}|${clocked ? "clocked" : "sdk"}`;
  let client = cache.get(key) as T | undefined;
  if (!client) {
    // The strategy reads the client's own maxAttempts (its config, the environment or `maxAttempts` passed to create).
    let maxAttempts: () => Promise<number> = async () => 3;
    const retry = clocked ? { retryStrategy: new ClockedRetryStrategy(() => maxAttempts()) } : {};
    client = create({ cacheMiddleware: true, ...clientOptions(), ...retry });
    const configured = (client as { config?: { maxAttempts?: unknown } }).config?.maxAttempts;
    if (typeof configured === "function") maxAttempts = configured as () => Promise<number>;
    const handler = (client as { config?: { requestHandler?: unknown } }).config?.requestHandler;
    if (installed && handler !== installed.handler) throw new Error(`SDK client ${service} ignores the installed transport: build it with the options cachedClient passes to create`);
    const unsigned = installed?.handler as Partial<UnsignedHosts> | undefined;
    if (typeof unsigned?.servesUnsigned === "function") skipSigningFor(client, unsigned as UnsignedHosts);
    cache.set(key, client);
  }
  return client;
}

/** The region every SDK client of this process resolves (AWS_REGION, else the AWS profile's), or undefined. */
export async function sdkRegion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.AWS_REGION) return env.AWS_REGION;
  const { LambdaClient } = await import("@aws-sdk/client-lambda");
  return new LambdaClient({}).config.region().catch(() => undefined);
}

type Middleware = (next: (args: { request?: unknown }) => Promise<unknown>, context: Record<string, unknown>) => (args: { request?: unknown }) => Promise<unknown>;
interface SigningScheme {
  identity?: { accessKeyId?: string };
  /** The operation's auth option: `name` and `region` (the scope the SDK's signer uses unless the endpoint overrides them). */
  httpAuthOption?: { signingProperties?: { signingRegion?: string; signingName?: string; region?: string; name?: string } };
}
interface SignableRequest {
  hostname: string;
  headers: Record<string, string>;
}

/**
 * Replaces the client's signing step (the SDK's own httpSigningMiddleware, same name and place) with one that
 * leaves requests to `hosts` unsigned (see UnsignedHosts) and signs every other request with the SDK's middleware.
 */
function skipSigningFor(client: unknown, hosts: UnsignedHosts): void {
  // The SDK builds it with the client config and does not read it.
  const sdkSigning = httpSigningMiddleware({} as never) as unknown as Middleware;
  const signing: Middleware = (next, context) => {
    const signed = sdkSigning(next, context);
    return (args) => {
      const request = args.request as SignableRequest | undefined;
      if (!request?.headers || !hosts.servesUnsigned(request.hostname)) return signed(args);
      const scheme = getSmithyContext(context as never).selectedHttpAuthScheme as SigningScheme | undefined;
      const props = scheme?.httpAuthOption?.signingProperties ?? {};
      const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
      request.headers["x-amz-date"] = amzDate;
      const scope = `${scheme?.identity?.accessKeyId ?? ""}/${amzDate.slice(0, 8)}/${props.signingRegion ?? props.region ?? ""}/${props.signingName ?? props.name ?? ""}/aws4_request`;
      request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=UNSIGNED-IN-PROCESS`;
      return next(args);
    };
  };
  (client as { middlewareStack: { addRelativeTo(m: Middleware, o: object): void } }).middlewareStack.addRelativeTo(signing, { ...httpSigningMiddlewareOptions, override: true });
}
