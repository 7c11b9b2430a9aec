import { createRequire } from "node:module";
import { Client as EsmClient } from "@smithy/core/client";

/** What a hook sees of an AWS SDK v3 client: its middleware stack and its service. */
export type SdkClient = {
  send: (...args: unknown[]) => unknown;
  middlewareStack: { add(mw: unknown, opts: object): void };
  config: { serviceId?: string };
};

const hooks: ((client: SdkClient) => void)[] = [];
let installed = false;
const seen = new WeakSet<object>();

function install(proto: SdkClient): void {
  const original = proto.send;
  proto.send = function (this: SdkClient, ...args: unknown[]) {
    if (!seen.has(this)) {
      seen.add(this);
      for (const hook of hooks) hook(this);
    }
    return original.apply(this, args);
  };
}

/**
 * Runs `hook` once for every SDK v3 client of this process (ESM and CommonJS copies alike), before its first
 * request: where the runtime adds its instrumentation middleware. Instrumentation only: nothing here sends.
 */
export function onEachSdkClient(hook: (client: SdkClient) => void): void {
  hooks.push(hook);
  if (installed) return;
  installed = true;
  install(EsmClient.prototype as unknown as SdkClient);
  const cjs = createRequire(import.meta.url)("@smithy/core/client") as { Client: { prototype: SdkClient } };
  if (cjs.Client.prototype !== (EsmClient.prototype as unknown)) install(cjs.Client.prototype);
}
