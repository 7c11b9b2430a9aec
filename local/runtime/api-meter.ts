import { onEachSdkClient } from "./sdk-hooks.js";

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
let hooked = false;

/** Starts counting into `meter` (one active meter per process). */
export function meterApiCalls(meter: ApiMeter): void {
  active = meter;
  if (hooked) return;
  hooked = true;
  onEachSdkClient((client) => {
    const serviceId = client.config.serviceId ?? "AWS";
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (a: unknown) => {
        active?.record(`${serviceId.replace(/\s+/g, "")}.${(context.commandName ?? "Unknown").replace(/Command$/, "")}`);
        return next(a);
      },
      { step: "deserialize", name: "stepdeployApiMeter", override: true },
    );
  });
}
