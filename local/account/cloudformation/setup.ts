import { AwsError } from "../shared/protocol/errors.js";
import type { SetupSection } from "../shared/service.js";
import type { CloudFormationWorld, StackRequest } from "./world.js";

/**
 * The CloudFormation part of the account setup:
 *   "cloudformation": {
 *     "secondsPerResource": 5,                           each resource's create/update/delete (default 5)
 *     "stacks": [{ "name": "orders-api", "template": {...} | "yaml or json text",
 *                  "parameters"?: {"Key": "value"}, "capabilities"?: ["CAPABILITY_IAM"] }]
 *   }
 * Stacks exist from the start, created an hour before (CREATE_COMPLETE, or ROLLBACK_COMPLETE when a
 * resource of the template is marked to fail). The template is checked as CreateStack checks it.
 */
export function cloudFormationSetup(world: CloudFormationWorld): SetupSection {
  return {
    keys: ["cloudformation"],
    parse(setup, c) {
      if (setup["cloudformation"] === undefined) return () => {};
      const o = c.object(setup["cloudformation"], "account.cloudformation", ["secondsPerResource", "stacks"]);
      if (!o) return () => {};
      const seconds = c.number(o, "secondsPerResource", "account.cloudformation", { min: 1, integer: true });
      const requests: StackRequest[] = c.array(o["stacks"], "account.cloudformation.stacks").flatMap((raw, i) => {
        const f = `account.cloudformation.stacks[${i}]`;
        const s = c.object(raw, f, ["name", "template", "parameters", "capabilities"]);
        if (!s) return [];
        const name = c.string(s, "name", f, { required: true });
        const t = s["template"];
        if (typeof t !== "string" && (typeof t !== "object" || t === null)) c.fail(`${f}.template`, "is required: the template as an object or as JSON/YAML text");
        const params = (s["parameters"] ?? {}) as Record<string, unknown>;
        const capabilities = c.array(s["capabilities"], `${f}.capabilities`).map(String);
        if (!name || (typeof t !== "string" && (typeof t !== "object" || t === null))) return [];
        return [{ stackName: name, templateBody: typeof t === "string" ? t : JSON.stringify(t), parameters: Object.entries(params).map(([key, v]) => ({ key, value: String(v) })), capabilities }];
      });
      return () => {
        if (seconds !== undefined) world.secondsPerResource = seconds;
        for (const r of requests) {
          try {
            world.createStack(r, { settled: true });
          } catch (e) {
            if (e instanceof AwsError) throw new Error(`account.cloudformation.stacks ${r.stackName}: ${e.code}: ${e.message}`);
            throw e;
          }
        }
      };
    },
  };
}
