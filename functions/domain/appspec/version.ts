import { type At, type Checker, child } from "./check.js";
import { describeKind, type MapNode } from "./document.js";
import type { Platform } from "./types.js";

/**
 * `version`: required, the only allowed value is 0.0 (UG reference-appspec-file-structure).
 * Server: the agent checks `[0.0].include?(version)` on the Psych-parsed value
 * (aws-codedeploy-agent application_specification.rb), so the *number* 0.0 passes (and so does 0, which
 * Ruby's 0 == 0.0 lets through) while the quoted string "0.0" fails with "invalid version value (0.0)".
 * Lambda/ECS: the UG says "Specify version with a string" and every example writes a bare 0.0, so both the
 * string "0.0" and the number pass there.
 */
export function checkVersion(root: At<MapNode>, platform: Platform, c: Checker): void {
  const at = child(root, "version", c, platform !== "server");
  if (!at) {
    c.error({ path: ["version"], line: root.node.line }, "version is required; the only allowed value is 0.0");
    return;
  }
  const n = at.node;
  if (n.kind === "scalar" && typeof n.value === "number" && n.value === 0) {
    if (n.source !== undefined && n.source !== "0.0") c.warn(at, `version is written '${n.source}'; CodeDeploy documents 0.0`);
    return;
  }
  if (n.kind === "scalar" && n.value === "0.0") {
    if (platform !== "server") return;
    c.error(at, "version must be the number 0.0, not the quoted string \"0.0\": the CodeDeploy agent compares it with the number 0.0 and fails the deployment with 'invalid version value (0.0)'; remove the quotes");
    return;
  }
  c.error(at, `version must be 0.0, got ${describeKind(n)}`);
}
