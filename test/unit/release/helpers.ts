import type { ReleasePlan } from "../../../functions/domain/release/index.js";

/** A plan that publishes function.zip to orders:live with one hook; tests override what they vary. */
export const PLAN: ReleasePlan = {
  platform: "lambda",
  functionName: "orders",
  alias: "live",
  currentVersion: null,
  targetVersion: null,
  publish: { kind: "zip", codePackage: "function.zip" },
  hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: null },
  fields: { alias: "appspec A", currentVersion: "appspec C", targetVersion: "appspec T", hooks: { beforeAllowTraffic: "appspec H0", afterAllowTraffic: "appspec H1" } },
  notes: [],
};
