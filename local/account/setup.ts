import { Checker } from "./shared/checker.js";
import type { SetupSection } from "./shared/service.js";

/**
 * The plain-JSON account setup (the `account` part of a scenario), validated strictly against the
 * sections the services declare (`functions`, `hooks`, `alarms`, `metrics`, `eventBuses`,
 * `stateMachines`, `ecr`) and the account's own (`faults`). Every key is optional; unknown keys and
 * wrong types are reported with their path, all at once (ValidationErrors `Simulate.InvalidAccount`).
 * Returns what creates the resources: nothing is created unless the whole setup is valid.
 * The full reference is in README.md.
 */
export function parseSetup(raw: unknown, sections: readonly SetupSection[]): () => void {
  const c = new Checker();
  const setup = c.object(raw ?? {}, "account", sections.flatMap((s) => s.keys));
  const create = setup ? sections.map((s) => s.parse(setup, c)) : [];
  c.throwIfAny();
  return () => {
    for (const step of create) step();
  };
}
