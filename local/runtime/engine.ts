import "./polyfills.js";
import { StateMachine } from "aws-local-stepfunctions";

const validated = new Map<string, StateMachine>();

/**
 * The local engine for a definition someone else wrote (a user's pipeline), validated by the engine
 * (asl-validator) once per process: building a validated StateMachine compiles asl-validator's JSON
 * schemas again on every call (about 0.5 s of CPU), and one StateMachine runs any number of executions.
 */
export function validatedEngine(definition: object): StateMachine {
  const key = JSON.stringify(definition);
  let sm = validated.get(key);
  if (!sm) {
    sm = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
    validated.set(key, sm);
  }
  return sm;
}
