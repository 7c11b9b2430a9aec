import type { Logger } from "@aws-lambda-powertools/logger";
import { nowIso, nowMs } from "./lib/clock.js";
import { logger } from "./lib/logger.js";
import type { AlarmsPort } from "./ports/alarms.js";
import type { BundleStorePort } from "./ports/bundle-store.js";
import type { ExecutionsPort } from "./ports/executions.js";
import type { LambdaAliasPort } from "./ports/lambda-alias.js";
import type { LambdaCodePort } from "./ports/lambda-code.js";

/**
 * The one place where handlers get real adapters. Every port is lazy: its adapter module (and the
 * SDK client inside it) is loaded on the first call, so a handler that never calls a service never
 * loads its client. Tests hand the handlers in-memory fakes instead (test/support/fakes/).
 */
export interface Deps {
  lambdaAlias: LambdaAliasPort;
  lambdaCode: LambdaCodePort;
  bundles: BundleStorePort;
  executions: ExecutionsPort;
  alarms: AlarmsPort;
  clock: { nowMs(): number; nowIso(): string };
  log: Logger;
}

/** A port whose every method first loads the adapter (once), then forwards the call. Not a thenable. */
function lazy<T extends object>(load: () => Promise<T>): T {
  let adapter: Promise<T> | undefined;
  return new Proxy({} as T, {
    get: (_target, method) =>
      method === "then"
        ? undefined
        : async (...args: unknown[]) => {
            adapter ??= load();
            const port = (await adapter) as Record<PropertyKey, (...a: unknown[]) => unknown>;
            return port[method]?.(...args);
          },
  });
}

export function realDeps(): Deps {
  const lambda = lazy(() => import("./adapters/lambda.js").then((m) => m.createLambdaAdapter()));
  return {
    lambdaAlias: lambda,
    lambdaCode: lambda,
    bundles: lazy(() => import("./adapters/s3.js").then((m) => m.createBundleStoreAdapter())),
    executions: lazy(() => import("./adapters/sfn.js").then((m) => m.createExecutionsAdapter())),
    alarms: lazy(() => import("./adapters/cloudwatch.js").then((m) => m.createAlarmsAdapter())),
    clock: { nowMs, nowIso },
    log: logger,
  };
}
