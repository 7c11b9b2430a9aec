import { Readable } from "node:stream";
import { HttpResponse, buildQueryString } from "@smithy/core/protocols";
import type { HttpRequest } from "@smithy/core/transport";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { WireRequest } from "../protocol/wire.js";
import type { Routed } from "./router.js";

/**
 * An in-process network for AWS SDK v3 clients, plugged in through the SDK's own request-handler
 * seam: a smithy HttpHandler (`handle(HttpRequest) -> {response: HttpResponse}`, what
 * NodeHttpHandler implements) given to a client as `requestHandler`. Everything above the handler
 * is the real SDK (serialization, validation, retries with their back-off, error parsing; signing
 * is skipped for the servers here, which do not check it: `servesUnsigned`); what the handler does
 * is hand the serialized request to a server function in the same process (the simulated account's
 * router, or an emulator's own request listener) and give its serialized answer back, without a socket.
 *
 * Servers are attached under a host name (`http://<name>.stepdeploy.internal`); a request for any
 * other host goes out over real HTTP (NodeHttpHandler), so an endpoint outside the world still works.
 * A server that answers `drop` fails the request the way node-http-handler reports a connection
 * reset (name `TimeoutError`, code `ECONNRESET`, "socket hang up"), after the same hold, so the
 * SDK's retry strategy sees exactly what it sees over HTTP.
 */
export type InProcessServer = (req: WireRequest) => Routed | Promise<Routed>;

export interface AttachOptions {
  /**
   * Answer bodies as streams, as node-http-handler does. Needed by servers with streaming outputs
   * (S3 GetObject's Body); without it a body is handed over as bytes, which the SDK reads a third
   * cheaper (the simulated account and DynamoDB have no streaming outputs).
   */
  streamingBodies?: boolean;
}

const DOMAIN = "stepdeploy.internal";

export class InProcessNetwork {
  private readonly servers = new Map<string, { server: InProcessServer; streamingBodies: boolean }>();
  private fallback: NodeHttpHandler | undefined;

  /** Serves `server` at `http://<name>.stepdeploy.internal` (the endpoint returned); replaces an earlier one of that name. */
  attach(name: string, server: InProcessServer, opts: AttachOptions = {}): string {
    const host = `${name}.${DOMAIN}`;
    this.servers.set(host, { server, streamingBodies: opts.streamingBodies ?? false });
    return `http://${host}`;
  }

  /**
   * Whether the SDK may leave a request to `hostname` unsigned (functions/adapters/clients.ts, UnsignedHosts): every
   * server attached here (the simulated account's router, dynalite's listener) checks at most that a SigV4
   * Authorization header is there, never the signature (local/account/README.md). Requests that go out over
   * HTTP are signed.
   */
  servesUnsigned(hostname: string): boolean {
    return hostname.endsWith(`.${DOMAIN}`);
  }

  /** Stops serving `http://<name>.stepdeploy.internal`; later requests for it fail like an unknown host. */
  detach(name: string): void {
    this.servers.delete(`${name}.${DOMAIN}`);
  }

  async handle(request: HttpRequest, options: { abortSignal?: { aborted: boolean } } = {}): Promise<{ response: HttpResponse }> {
    const served = this.servers.get(request.hostname);
    if (!served && request.hostname.endsWith(`.${DOMAIN}`)) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${request.hostname} (nothing is served there any more)`), { code: "ENOTFOUND" });
    }
    if (!served) {
      this.fallback ??= new NodeHttpHandler();
      return this.fallback.handle(request, options as never);
    }
    if (options.abortSignal?.aborted) throw Object.assign(new Error("Request aborted"), { name: "AbortError" });
    const routed = await served.server(await wireRequest(request));
    if (routed.kind === "drop") {
      await new Promise((r) => setTimeout(r, routed.holdMs));
      throw Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
    }
    const r = routed.response;
    const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
    const headers: Record<string, string> = { "content-length": String(body.byteLength) };
    for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { response: new HttpResponse({ statusCode: r.status, headers, body: served.streamingBodies ? Readable.from([bytes]) : bytes }) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.fallback?.destroy();
    this.fallback = undefined;
  }
}

/** The request as a server would read it off the wire: lower-case headers (with `host`), encoded path, buffered body. */
async function wireRequest(request: HttpRequest): Promise<WireRequest> {
  const headers: Record<string, string> = { host: request.port ? `${request.hostname}:${request.port}` : request.hostname };
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const query = request.query ? buildQueryString(request.query) : "";
  return { method: request.method, url: query ? `${request.path}?${query}` : request.path, path: request.path, query: new URLSearchParams(query), headers, body: await bodyBytes(request.body) };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === "object" && Symbol.asyncIterator in body)) {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`in-process transport: unsupported request body ${Object.prototype.toString.call(body)}`);
}
