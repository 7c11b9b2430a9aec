import type { IncomingHttpHeaders, RequestListener } from "node:http";
import { Readable, Writable } from "node:stream";
import type { WireRequest } from "../account/shared/protocol/wire.js";
import type { InProcessServer } from "../account/shared/transport/in-process.js";

/**
 * An emulator's own Node request listener (the function it gives `http.createServer`), served
 * in-process: each request is handed to it as an in-memory request/response pair, so the emulator
 * parses the real wire request (headers, signed body) and writes its real wire answer (status,
 * headers such as DynamoDB's x-amz-crc32, body), with no socket and no HTTP framing in between.
 *
 * The pair implements what a listener uses of IncomingMessage (a readable body, method, url,
 * headers) and of ServerResponse (status, header methods, write/end, `finished`); a listener that
 * needs more (the socket itself, upgrades, trailers) is not a fit.
 */
export function inMemoryListener(listener: RequestListener): InProcessServer {
  return (wire) =>
    new Promise((resolve, reject) => {
      const res = new MemoryResponse((status, headers, body) => resolve({ kind: "response", response: { status, headers, body } }));
      res.on("error", reject);
      try {
        listener(memoryRequest(wire) as never, res as never);
      } catch (e) {
        reject(e);
      }
    });
}

const SOCKET = { remoteAddress: "127.0.0.1", remotePort: 0, encrypted: false, writable: true, on: () => SOCKET, once: () => SOCKET, removeListener: () => SOCKET, destroy: () => undefined };

function memoryRequest(wire: WireRequest): Readable {
  // The body as one chunk, pushed up front: what a listener reads of a short request (Readable.from would
  // go through an async iterator, several ticks per request).
  const req = new Readable({ read() {} });
  if (wire.body.byteLength) req.push(wire.body);
  req.push(null);
  return Object.assign(req, {
    method: wire.method,
    url: wire.url,
    headers: wire.headers as IncomingHttpHeaders,
    rawHeaders: Object.entries(wire.headers).flatMap(([k, v]) => [k, String(v)]),
    httpVersion: "1.1",
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    complete: true,
    socket: SOCKET,
    connection: SOCKET,
  });
}

class MemoryResponse extends Writable {
  statusCode = 200;
  statusMessage = "";
  readonly socket = SOCKET;
  private readonly headers = new Map<string, string>();
  private readonly chunks: Buffer[] = [];
  private sent = false;

  constructor(private readonly done: (status: number, headers: Record<string, string>, body: Buffer) => void) {
    super();
    this.once("finish", () => this.done(this.statusCode, Object.fromEntries(this.headers), Buffer.concat(this.chunks)));
  }

  get headersSent(): boolean {
    return this.sent;
  }

  get finished(): boolean {
    return this.writableEnded;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(", ") : String(value));
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }

  getHeaders(): Record<string, string> {
    return Object.fromEntries(this.headers);
  }

  getHeaderNames(): string[] {
    return [...this.headers.keys()];
  }

  hasHeader(name: string): boolean {
    return this.headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  writeHead(status: number, message?: string | Record<string, string | number>, headers?: Record<string, string | number>): this {
    this.statusCode = status;
    if (typeof message === "string") this.statusMessage = message;
    for (const [k, v] of Object.entries((typeof message === "object" ? message : headers) ?? {})) this.setHeader(k, v);
    this.sent = true;
    return this;
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sent = true;
    this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk);
    callback();
  }
}
