import { createRequire } from "node:module";
import { Client as EsmClient } from "@smithy/core/client";

/**
 * Counts AWS API requests made by any SDK v3 client in this process (our handlers and the
 * runtime's service integrations alike), one per wire attempt, so SDK retries count as the
 * API calls they are. Instrumentation only: it never changes a request.
 */
export class ApiMeter {
  readonly counts = new Map<string, number>();

  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
}

let active: ApiMeter | undefined;
let installed = false;
const instrumented = new WeakSet<object>();

type SmithyClient = {
  send: (...args: unknown[]) => unknown;
  middlewareStack: { add(mw: unknown, opts: object): void };
  config: { serviceId?: string };
};

function install(proto: SmithyClient): void {
  const original = proto.send;
  proto.send = function (this: SmithyClient, ...args: unknown[]) {
    if (!instrumented.has(this)) {
      instrumented.add(this);
      const serviceId = this.config.serviceId ?? "AWS";
      this.middlewareStack.add(
        (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (a: unknown) => {
          active?.record(`${serviceId.replace(/\s+/g, "")}.${(context.commandName ?? "Unknown").replace(/Command$/, "")}`);
          return next(a);
        },
        { step: "deserialize", name: "stepdeployApiMeter", override: true },
      );
    }
    return original.apply(this, args);
  };
}

/** Starts counting into `meter` (one active meter per process). */
export function meterApiCalls(meter: ApiMeter): void {
  active = meter;
  if (installed) return;
  installed = true;
  install(EsmClient.prototype as unknown as SmithyClient);
  const cjs = createRequire(import.meta.url)("@smithy/core/client") as { Client: { prototype: SmithyClient } };
  if (cjs.Client.prototype !== (EsmClient.prototype as unknown)) install(cjs.Client.prototype);
}
