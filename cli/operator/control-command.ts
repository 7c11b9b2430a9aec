import { parseArgs } from "node:util";
import type { ControlIntent } from "../../functions/domain/control/delivery.js";
import { type CommandIO, ExitCode } from "../io.js";
import { requestControl } from "../../functions/services/operator-control.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "./stack-config.js";

/** stop / pause / resume / promote share one shape: record the intent, answer the waiting token. */
export function controlCommand(intent: Exclude<ControlIntent, "stop-no-rollback">) {
  return async (argv: string[], io: CommandIO): Promise<number> => {
    const { values, positionals } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, "no-rollback": { type: "boolean" } }, allowPositionals: true });
    const id = positionals[0];
    if (!id) {
      io.err(`usage: stepdeploy ${intent} <deploymentId>${intent === "stop" ? " [--no-rollback]" : ""} [--json]`);
      return ExitCode.Usage;
    }
    applyStackEnv(values, stackConfig(values, io.env));
    const effective: ControlIntent = intent === "stop" && values["no-rollback"] ? "stop-no-rollback" : intent;
    const r = await requestControl(id, effective);
    if (values.json) io.out(JSON.stringify(r));
    else if (r.delivered) io.out(`${id}: ${effective} delivered to the running workflow`);
    else io.out(`${id}: ${effective} recorded; ${r.action.send === "none" ? r.action.reason : "applied when the workflow next waits"}`);
    return ExitCode.Ok;
  };
}
