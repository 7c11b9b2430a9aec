import type { CLOUDFORMATION_MODES } from "../providers.js";

/**
 * What a CloudFormation action does to its stack, by ActionMode and the stack's current status
 * (user guide action-reference-CloudFormation):
 * - CREATE_UPDATE: create the stack, or update it ("no updates to be performed" is a success);
 *   a stack left in ROLLBACK_COMPLETE by a failed create cannot be updated (use REPLACE_ON_FAILURE).
 * - REPLACE_ON_FAILURE: like CREATE_UPDATE, but a stack in a failed state is deleted and created again.
 * - DELETE_ONLY: delete the stack if it exists; a missing stack is a success.
 * - CHANGE_SET_REPLACE: (re)create the named change set: CREATE for a new stack, UPDATE otherwise;
 *   an existing change set of that name is deleted first.
 * - CHANGE_SET_EXECUTE: execute the named change set; it must exist.
 * A stack with an operation in progress is refused: the action fails rather than race it.
 */
export type CloudFormationMode = (typeof CLOUDFORMATION_MODES)[number];
export type CloudFormationStep =
  | { call: "CreateStack" }
  | { call: "UpdateStack" }
  | { call: "DeleteStack" }
  | { call: "DeleteChangeSet" }
  | { call: "CreateChangeSet"; changeSetType: "CREATE" | "UPDATE" }
  | { call: "ExecuteChangeSet" };

export type CloudFormationPlan = { ok: true; steps: CloudFormationStep[] } | { ok: false; reason: string };

const FAILED_STATES = new Set(["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"]);

/** `stackStatus` undefined: no such stack (or DELETE_COMPLETE). */
export function planCloudFormation(mode: CloudFormationMode, stackStatus: string | undefined, changeSetExists: boolean): CloudFormationPlan {
  const exists = stackStatus !== undefined && stackStatus !== "DELETE_COMPLETE";
  if (exists && stackStatus.endsWith("_IN_PROGRESS")) return { ok: false, reason: `the stack is ${stackStatus}; wait until its operation ends` };
  switch (mode) {
    case "DELETE_ONLY":
      return { ok: true, steps: exists ? [{ call: "DeleteStack" }] : [] };
    case "CREATE_UPDATE":
      if (!exists) return { ok: true, steps: [{ call: "CreateStack" }] };
      if (stackStatus === "ROLLBACK_COMPLETE") return { ok: false, reason: "the stack is ROLLBACK_COMPLETE (its creation failed) and cannot be updated; delete it, or use ActionMode REPLACE_ON_FAILURE" };
      return { ok: true, steps: [{ call: "UpdateStack" }] };
    case "REPLACE_ON_FAILURE":
      if (!exists) return { ok: true, steps: [{ call: "CreateStack" }] };
      if (FAILED_STATES.has(stackStatus)) return { ok: true, steps: [{ call: "DeleteStack" }, { call: "CreateStack" }] };
      return { ok: true, steps: [{ call: "UpdateStack" }] };
    case "CHANGE_SET_REPLACE":
      return { ok: true, steps: [...(changeSetExists ? [{ call: "DeleteChangeSet" } as const] : []), { call: "CreateChangeSet", changeSetType: exists && stackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE" }] };
    case "CHANGE_SET_EXECUTE":
      return changeSetExists ? { ok: true, steps: [{ call: "ExecuteChangeSet" }] } : { ok: false, reason: "the change set does not exist (run a CHANGE_SET_REPLACE action first)" };
  }
}

/**
 * The stack parameters: TemplateConfiguration's `Parameters`, then ParameterOverrides on top (the
 * overrides win, as in CodePipeline).
 */
export function stackParameters(templateConfiguration: string | undefined, parameterOverrides: string | undefined): Record<string, string> {
  const config = templateConfiguration ? (JSON.parse(templateConfiguration) as { Parameters?: Record<string, unknown> }) : {};
  const overrides = parameterOverrides ? (JSON.parse(parameterOverrides) as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries({ ...(config.Parameters ?? {}), ...overrides }).map(([k, v]) => [k, String(v)]));
}
