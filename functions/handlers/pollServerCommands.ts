import { pollBatch, type PollDeps, type SentCommand } from "../services/server/commands.js";
import type { ServerWatch } from "../services/server/halt.js";
import type { InstanceOutcome } from "../services/server/state.js";
import { realDeps } from "../wiring.js";

/**
 * Read a batch's command results; per-instance outcomes (with the batch's earlier failures) once every instance has
 * finished, or at once, with the commands cancelled, when the deployment was stopped or an alarm fired (`watch`).
 */
export function createHandler(deps: PollDeps) {
  return (event: { commands: SentCommand[]; failed?: InstanceOutcome[]; watch?: ServerWatch }) => pollBatch(deps, event.commands, event.failed, event.watch);
}

export const handler = createHandler(realDeps());
