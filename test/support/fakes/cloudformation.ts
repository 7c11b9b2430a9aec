import type { CloudFormationPort } from "../../../functions/ports/cloudformation.js";

/**
 * CloudFormation is not faked in memory: the CloudFormation action's tests run on the simulated
 * account's CloudFormation through the real adapter (test/unit/pipeline/cloudformation-deploy.test.ts).
 * Any call here says so.
 */
export function unfakedCloudFormation(): CloudFormationPort {
  return new Proxy({} as CloudFormationPort, {
    get: (_, method) => (method === "then" ? undefined : async () => {
      throw new Error(`CloudFormation.${String(method)} is not faked: test CloudFormation actions on the simulated account`);
    }),
  });
}
