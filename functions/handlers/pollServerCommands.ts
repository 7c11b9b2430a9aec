import { pollBatch, type SentCommand } from "../services/server/commands.js";
import type { InstanceOutcome } from "../services/server/state.js";
import { type Deps, realDeps } from "../wiring.js";

/** Read a batch's command results; per-instance outcomes (with the batch's earlier failures) once every instance has finished. */
export function createHandler(deps: Pick<Deps, "runCommand" | "log">) {
  return (event: { commands: SentCommand[]; failed?: InstanceOutcome[] }) => pollBatch(deps, event.commands, event.failed);
}

export const handler = createHandler(realDeps());
