/** Every state of a definition by name, Parallel branches included (state names are unique machine-wide). */
export type States = Record<string, Record<string, unknown>>;

export function flattenStates(states: States, out = new Map<string, Record<string, unknown>>()): Map<string, Record<string, unknown>> {
  for (const [name, state] of Object.entries(states)) {
    out.set(name, state);
    if (state["Type"] === "Parallel") for (const b of state["Branches"] as { States: States }[]) flattenStates(b.States, out);
  }
  return out;
}
