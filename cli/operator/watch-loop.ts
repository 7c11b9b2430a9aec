import { describeExecution } from "../../functions/adapters/sfn.js";
import { isFinalStatus } from "../../functions/domain/registry/index.js";
import { registry } from "../../functions/wiring.js";
import { type StatusView, statusView } from "./render.js";

/** Reads the registry record and the execution's status once. */
export async function readStatus(deploymentId: string): Promise<StatusView> {
  const record = await registry().requireDeployment(deploymentId);
  let executionStatus: string | undefined;
  if (record.executionArn) {
    try {
      executionStatus = (await describeExecution(record.executionArn)).status;
    } catch {
      executionStatus = undefined;
    }
  }
  return statusView(record, executionStatus);
}

/** Polls until the deployment is final; calls `onChange` whenever the view changes. */
export async function watchUntilDone(deploymentId: string, onChange: (v: StatusView) => void, opts: { intervalMs?: number; timeoutMs?: number } = {}): Promise<StatusView> {
  const deadline = Date.now() + (opts.timeoutMs ?? 3 * 24 * 3600 * 1000);
  let last = "";
  for (;;) {
    const v = await readStatus(deploymentId);
    const key = JSON.stringify([v.status, v.weight, v.step, v.paused, v.errorName]);
    if (key !== last) {
      onChange(v);
      last = key;
    }
    if (isFinalStatus(v.status as never)) return v;
    if (Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
}
