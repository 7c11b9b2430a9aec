import type { LocalStack } from "./stack.js";

/**
 * The stack with stepdeploy's own resources renamed (`stepdeploy run --table/--event-bus`, or STEPDEPLOY_TABLE):
 * the `Ref`s the state machines resolve (the PutEvents bus) and the environment the handlers read (the registry
 * table, the bus) both follow, so no part of a run writes to the stack's default names behind the user's back.
 */
export interface OwnedNames {
  table?: string;
  eventBus?: string;
}

/** serverless.yml's logical ids and the environment variables the functions read them from. */
const TABLE = { logicalId: "RegistryTable", env: "STEPDEPLOY_TABLE" } as const;
const BUS = { logicalId: "StepDeployEventBus", env: "EVENT_BUS_NAME" } as const;

export function withOwnedNames(stack: LocalStack, names: OwnedNames): LocalStack {
  const refs = new Map(stack.refs);
  const environment = { ...stack.environment };
  for (const [target, name] of [
    [TABLE, names.table],
    [BUS, names.eventBus],
  ] as const) {
    if (name === undefined) continue;
    if (!refs.has(target.logicalId)) throw new Error(`serverless.yml has no resource ${target.logicalId} to rename`);
    refs.set(target.logicalId, name);
    environment[target.env] = name;
  }
  return { ...stack, refs, environment };
}

/** The names the stack gives its own table and bus for its stage (what `run` creates when none is named). */
export function stackOwnedNames(stack: LocalStack): Required<OwnedNames> {
  return { table: String(stack.refs.get(TABLE.logicalId)), eventBus: String(stack.refs.get(BUS.logicalId)) };
}
