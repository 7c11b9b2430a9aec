import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { SimClock } from "../../../clock.js";
import { AwsError } from "../protocol/errors.js";
import type { FaultInjector } from "./faults.js";
import type { ServiceApi, WireRequest, WireResponse } from "../protocol/wire.js";
import type { Journal } from "../journal.js";

/**
 * The simulated account over HTTP on 127.0.0.1: routes each request to the service that claims
 * it (X-Amz-Target prefix or REST path), applies injected faults, runs the operation, renders
 * errors in the service's protocol and journals the call. SigV4 is not validated.
 */
export interface ServedAccount {
  /** `http://127.0.0.1:<port>`: give it to SDK clients as `endpoint` or AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerDeps {
  apis: readonly ServiceApi[];
  faults: FaultInjector;
  journal: Journal;
  clock: SimClock;
  requestId: () => string;
}

export function serve(deps: ServerDeps, opts: { port?: number } = {}): Promise<ServedAccount> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(deps, req, res, Buffer.concat(chunks), timers));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const t of timers) clearTimeout(t);
            timers.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, body: Buffer, timers: Set<NodeJS.Timeout>): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const wire: WireRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
  const atSeconds = deps.clock.elapsedSeconds();
  const api = deps.apis.find((a) => a.matches(wire));
  if (!api) {
    deps.journal.recordCall({ atSeconds, service: "Unknown", operation: `${wire.method} ${wire.path}`, ok: false, errorName: "UnknownService", httpStatus: 404 });
    // Both error-code carriers (REST header and JSON `__type`), so any SDK client reads UnknownOperationException.
    const target = wire.headers["x-amz-target"];
    const message = `The simulated account does not serve ${target ? `X-Amz-Target ${target}` : `${wire.method} ${wire.path}`}`;
    send(
      res,
      { status: 404, headers: { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" }, body: JSON.stringify({ __type: "UnknownOperationException", message }) },
      deps.requestId(),
    );
    return;
  }
  const op = api.resolve(wire);
  const call = { atSeconds, service: api.service, operation: op.operation };
  const fault = deps.faults.take(api.service, op.operation, atSeconds);
  if (fault?.kind === "timeout") {
    // Hold the connection, then drop it without a response: the SDK sees a network error.
    deps.journal.recordCall({ ...call, ok: false, errorName: "NetworkError", fault: "timeout" });
    const t = setTimeout(() => {
      timers.delete(t);
      req.socket.destroy();
    }, fault.holdMs ?? 50);
    timers.add(t);
    return;
  }
  let response: WireResponse;
  if (fault) {
    const error = api.faultError(fault.kind, op.operation, fault);
    response = api.renderError(error);
    deps.journal.recordCall({ ...call, ok: false, errorName: error.code, httpStatus: error.status, fault: fault.kind });
  } else {
    try {
      const handled = op.run();
      response = handled.response;
      deps.journal.recordCall({ ...call, ok: response.status < 300, httpStatus: response.status, summary: handled.summary });
    } catch (e) {
      const error = e instanceof AwsError ? e : internalError(api, op.operation, e);
      response = api.renderError(error);
      deps.journal.recordCall({ ...call, ok: false, errorName: error.code, httpStatus: error.status, summary: error.message.slice(0, 300) });
    }
  }
  send(res, response, deps.requestId());
}

/** An unexpected exception is a bug in the simulator: answer like the service's 500, keep the stack in the journal. */
function internalError(api: ServiceApi, operation: string, e: unknown): AwsError {
  const base = api.faultError("5xx", operation, { operation, kind: "5xx" });
  return new AwsError(base.code, `Simulated account bug: ${(e as Error)?.stack ?? String(e)}`, { status: 500, queryCode: base.queryCode });
}

function send(res: ServerResponse, r: WireResponse, requestId: string): void {
  const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { "x-amzn-requestid": requestId, date: new Date().toUTCString(), ...r.headers, "content-length": String(body.byteLength) });
  res.end(body);
}
