import type { SimClock } from "../../../clock.js";
import type { Journal } from "../journal.js";
import { AwsError } from "../protocol/errors.js";
import type { ServiceApi, WireRequest, WireResponse } from "../protocol/wire.js";
import type { FaultInjector } from "./faults.js";

/**
 * What every transport of the simulated account (HTTP on 127.0.0.1, or the SDK's request-handler
 * seam in-process) does with a request: find the service that claims it (X-Amz-Target prefix or
 * REST path), apply an injected fault, run the operation, render errors in the service's
 * protocol, and journal the call (one entry per attempt, so SDK retries count). SigV4 is not
 * validated. A `drop` tells the transport to fail the request as a network error after
 * `holdMs` wall milliseconds, without an answer (injected `timeout` faults).
 */
export type Routed = { kind: "response"; response: WireResponse } | { kind: "drop"; holdMs: number };

export interface RouterDeps {
  apis: readonly ServiceApi[];
  faults: FaultInjector;
  journal: Journal;
  clock: SimClock;
  requestId: () => string;
}

export type Router = (req: WireRequest) => Routed;

export function router(deps: RouterDeps): Router {
  return (req) => {
    const routed = route(deps, req);
    if (routed.kind === "response") {
      // What every AWS answer carries; the Date header is wall time, as the SDK checks it for clock skew.
      routed.response.headers = { "x-amzn-requestid": deps.requestId(), date: new Date().toUTCString(), ...routed.response.headers };
    }
    return routed;
  };
}

function route(deps: RouterDeps, req: WireRequest): Routed {
  const atSeconds = deps.clock.elapsedSeconds();
  const api = deps.apis.find((a) => a.matches(req));
  if (!api) {
    deps.journal.recordCall({ atSeconds, service: "Unknown", operation: `${req.method} ${req.path}`, ok: false, errorName: "UnknownService", httpStatus: 404 });
    // Both error-code carriers (REST header and JSON `__type`), so any SDK client reads UnknownOperationException.
    const target = req.headers["x-amz-target"];
    const message = `The simulated account does not serve ${target ? `X-Amz-Target ${target}` : `${req.method} ${req.path}`}`;
    return {
      kind: "response",
      response: { status: 404, headers: { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" }, body: JSON.stringify({ __type: "UnknownOperationException", message }) },
    };
  }
  const op = api.resolve(req);
  const call = { atSeconds, service: api.service, operation: op.operation };
  const fault = deps.faults.take(api.service, op.operation, atSeconds);
  if (fault?.kind === "timeout") {
    deps.journal.recordCall({ ...call, ok: false, errorName: "NetworkError", fault: "timeout" });
    return { kind: "drop", holdMs: fault.holdMs ?? 50 };
  }
  if (fault) {
    const error = api.faultError(fault.kind, op.operation, fault);
    deps.journal.recordCall({ ...call, ok: false, errorName: error.code, httpStatus: error.status, fault: fault.kind });
    return { kind: "response", response: api.renderError(error) };
  }
  try {
    const handled = op.run();
    deps.journal.recordCall({ ...call, ok: handled.response.status < 300, httpStatus: handled.response.status, summary: handled.summary });
    return { kind: "response", response: handled.response };
  } catch (e) {
    const error = e instanceof AwsError ? e : internalError(api, op.operation, e);
    deps.journal.recordCall({ ...call, ok: false, errorName: error.code, httpStatus: error.status, summary: error.message.slice(0, 300) });
    return { kind: "response", response: api.renderError(error) };
  }
}

/** An unexpected exception is a bug in the simulator: answer like the service's 500, keep the stack in the journal. */
function internalError(api: ServiceApi, operation: string, e: unknown): AwsError {
  const base = api.faultError("5xx", operation, { operation, kind: "5xx" });
  return new AwsError(base.code, `Simulated account bug: ${(e as Error)?.stack ?? String(e)}`, { status: 500, queryCode: base.queryCode });
}
