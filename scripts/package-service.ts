/**
 * The one `osls package` of a test run. The CI stage `package` runs it in the repository (its
 * template is what `check-cfn` reads) and hands the folder to vitest (PACKAGED_DIR_ENV), so the
 * template tests read the same output instead of packaging again; run alone, the template tests
 * package a private copy once (test/unit/deploy/package-fixture.ts) with the same arguments.
 *
 * A non-default stage and overridden parameters, so that the tests see names follow the stage and
 * IAM follow the parameters; the parameters' defaults are read from serverless.yml itself.
 * A parameter the stack needs is added here, once.
 */
export const PACKAGE_STAGE = "ci";

export const PACKAGE_PARAMS = {
  targetFunctionPattern: "orders-*",
  hookFunctionPattern: "CodeDeployHook_orders*",
} as const;

/** Arguments to `osls` (after the binary). */
export const PACKAGE_ARGS: string[] = ["package", "--stage", PACKAGE_STAGE, ...Object.entries(PACKAGE_PARAMS).map(([k, v]) => `--param=${k}=${v}`)];

/** Set by the CI orchestrator for vitest: the folder whose .serverless/ holds this run's packaged output. */
export const PACKAGED_DIR_ENV = "STEPDEPLOY_PACKAGED_DIR";

/** Environment for osls: offline, no telemetry, no update notices. */
export const OSLS_ENV: Record<string, string> = {
  SLS_TELEMETRY_DISABLED: "1",
  SLS_NOTIFICATIONS_MODE: "off",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};
