import type { InProcessServer } from "../account/shared/transport/in-process.js";
import { InProcessNetwork } from "../account/shared/transport/in-process.js";

/**
 * The in-process network every simulated world of this process shares. Building an SDK client and
 * making its first call cost milliseconds (credentials, region, endpoint rules: more than a whole
 * simulated deployment), and clients are cached per endpoint and transport
 * (functions/adapters/clients.ts), so worlds reuse the same host names: a world takes the lowest
 * free slot (`account`, `dynamodb`, `s3`; `account-2`, ... for a second world open at the same
 * time) and frees it when it closes.
 */
export const LOCAL_NETWORK = new InProcessNetwork();
const taken = new Set<number>();

export interface NetworkSlot {
  /** Serves `server` as `<service>` (plus the slot's suffix); returns its endpoint. */
  serve(service: string, server: InProcessServer): string;
  leave(): void;
}

export function joinNetwork(): NetworkSlot {
  let slot = 1;
  while (taken.has(slot)) slot += 1;
  taken.add(slot);
  const names: string[] = [];
  return {
    serve(service, server) {
      const name = slot === 1 ? service : `${service}-${slot}`;
      names.push(name);
      return LOCAL_NETWORK.attach(name, server);
    },
    leave() {
      for (const n of names.splice(0)) LOCAL_NETWORK.detach(n);
      taken.delete(slot);
    },
  };
}
