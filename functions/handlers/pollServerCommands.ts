import { pollBatch, type SentCommand } from "../services/server/commands.js";
import { type Deps, realDeps } from "../wiring.js";

/** Read a batch's command results; per-instance outcomes once every instance has finished. */
export function createHandler(deps: Pick<Deps, "runCommand" | "log">) {
  return (event: { commands: SentCommand[] }) => pollBatch(deps, event.commands);
}

export const handler = createHandler(realDeps());
