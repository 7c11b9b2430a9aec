import { PipelineError, PipelineErrorNames } from "./errors.js";

/**
 * Variable references in action configuration: `#{Namespace.Name}` for an action's output
 * variables, `#{codepipeline.PipelineExecutionId}` (the reserved namespace), and
 * `#{variables.name}` for V2 pipeline-level variables (CodePipeline user guide, reference-variables;
 * codepipeline-spec §1.1, §1.3). Pure: the validator checks references, the runtime resolves them.
 */
export const CODEPIPELINE_NAMESPACE = "codepipeline";
export const PIPELINE_VARIABLES_NAMESPACE = "variables";
/** Variables of the reserved namespace that stepdeploy provides. */
export const CODEPIPELINE_VARIABLES = ["PipelineExecutionId"] as const;

export interface VariableReference {
  /** As written, e.g. `#{BuildVariables.IMAGE_TAG}`. */
  text: string;
  namespace: string;
  name: string;
}

const REFERENCE = /#\{([A-Za-z0-9@_-]+)\.([^{}\s]+)\}/g;

export function findReferences(value: string): VariableReference[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({ text: m[0], namespace: m[1] as string, name: m[2] as string }));
}

/** Namespace -> variable -> value, as gathered during an execution (`codepipeline` and `variables` included). */
export type VariableScope = Record<string, Record<string, string>>;

export class UnresolvedVariableError extends PipelineError {
  constructor(readonly reference: string) {
    super(PipelineErrorNames.UnresolvedVariable, `${reference} has no value in this execution`);
  }
}

/** Replaces every reference in `value`; a reference without a value throws (CodePipeline fails the action). */
export function resolveReferences(value: string, scope: VariableScope): string {
  return value.replace(REFERENCE, (text, namespace: string, name: string) => {
    const found = scope[namespace]?.[name];
    if (found === undefined) throw new UnresolvedVariableError(text);
    return found;
  });
}

export function resolveConfiguration(configuration: Record<string, string>, scope: VariableScope): Record<string, string> {
  return Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, resolveReferences(v, scope)]));
}
