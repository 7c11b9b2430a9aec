import type { WaitingCallback } from "../../../functions/domain/control/waiting.js";
import type { AlarmWatch, CallbacksPort } from "../../../functions/ports/callbacks.js";

/** Task tokens and alarm watches in memory. */
export class FakeCallbacks implements CallbacksPort {
  readonly waits = new Map<string, WaitingCallback>();
  /** alarm name -> deploymentId -> watch */
  readonly watches = new Map<string, Map<string, AlarmWatch>>();

  async putWaiting(cb: WaitingCallback) {
    for (const alarm of cb.alarms) {
      if (!this.watches.has(alarm)) this.watches.set(alarm, new Map());
      this.watches.get(alarm)?.set(cb.deploymentId, { deploymentId: cb.deploymentId, token: cb.token, account: cb.account, region: cb.region });
    }
    this.waits.set(cb.deploymentId, structuredClone(cb));
  }
  async getWaiting(id: string) {
    return structuredClone(this.waits.get(id));
  }
  async clearWaiting(id: string, alarms: string[]) {
    this.waits.delete(id);
    for (const a of alarms) this.watches.get(a)?.delete(id);
  }
  async watchersOf(alarm: string) {
    return [...(this.watches.get(alarm)?.values() ?? [])];
  }
}
