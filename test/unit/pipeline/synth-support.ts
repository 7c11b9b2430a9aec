import validator from "asl-validator";
import { resolveIntrinsics } from "../../../scripts/validate-asl.js";

export type States = Record<string, Record<string, unknown>>;

/** Every state of a definition, Parallel branches included, with the Parallel it sits in. */
export function allStates(definition: Record<string, unknown>): Map<string, Record<string, unknown> & { inParallel?: string }> {
  const out = new Map<string, Record<string, unknown> & { inParallel?: string }>();
  const walk = (states: States, parent?: string) => {
    for (const [name, state] of Object.entries(states)) {
      out.set(name, parent === undefined ? state : { ...state, inParallel: parent });
      if (state["Type"] === "Parallel") for (const b of state["Branches"] as { States: States }[]) walk(b.States, name);
    }
  };
  walk(definition["States"] as States);
  return out;
}

/** asl-validator's verdict, after CloudFormation references are replaced as scripts/validate-asl.ts does. */
export function aslErrors(definition: Record<string, unknown>): unknown[] {
  const result = validator(resolveIntrinsics(JSON.parse(JSON.stringify(definition))) as never, { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errors;
}
