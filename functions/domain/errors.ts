/**
 * Named errors. `name` is stable: the state machines' Retry/Catch match on it
 * (Step Functions surfaces a Lambda error's `errorType`, which is the thrown error's name).
 */
export class StepDeployError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** Bad input: always names the offending field. */
export class ValidationError extends StepDeployError {
  readonly field: string;
  constructor(field: string, reason: string, name = "Deploy.InvalidInput") {
    super(name, `${field}: ${reason}`);
    this.field = field;
  }
}

/** Several validation problems at once; the message lists each `field: reason`. */
export class ValidationErrors extends StepDeployError {
  readonly problems: { field: string; reason: string }[];
  constructor(problems: { field: string; reason: string }[], name = "Deploy.InvalidInput") {
    super(name, problems.map((p) => `${p.field}: ${p.reason}`).join("; "));
    this.problems = problems;
  }
}

export const ErrorNames = {
  InvalidInput: "Deploy.InvalidInput",
  InvalidConfig: "Deploy.InvalidConfig",
  VersionMismatch: "Deploy.VersionMismatch",
  ResourceNotFound: "Deploy.ResourceNotFound",
  AlarmNotFound: "Deploy.AlarmNotFound",
  AlarmTriggered: "Deploy.AlarmTriggered",
  AlarmReadFailed: "Deploy.AlarmReadFailed",
  HookFailed: "Deploy.HookFailed",
  HookTimedOut: "Deploy.HookTimedOut",
  AwsError: "Deploy.AwsError",
  Transient: "Deploy.Transient",
  Stopped: "Deploy.Stopped",
  ConflictingDeployment: "Deploy.ConflictingDeployment",
} as const;
