import "./polyfills.js";
import { StateMachine } from "aws-local-stepfunctions";

const engines = new Map<string, StateMachine>();

/**
 * The local engine for a definition, built once per process: building a StateMachine with the engine's
 * validation compiles asl-validator's JSON schemas again on every call (about 0.5 s of CPU), and one
 * StateMachine runs any number of executions. `validate` false skips it for definitions the validate-asl
 * stage already checks with stricter options (the stack's own).
 */
export function cachedEngine(definition: object, validate = true): StateMachine {
  const key = `${validate}:${JSON.stringify(definition)}`;
  let sm = engines.get(key);
  if (!sm) {
    sm = new StateMachine(definition as never, { validationOptions: validate ? { checkArn: false, checkPaths: false } : { noValidate: true } });
    engines.set(key, sm);
  }
  return sm;
}

/** The local engine for a definition someone else wrote (a user's pipeline), validated by the engine once per process. */
export const validatedEngine = (definition: object): StateMachine => cachedEngine(definition, true);
