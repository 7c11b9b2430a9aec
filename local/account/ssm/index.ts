import type { ServiceDefinition } from "../shared/service.js";
import { SsmApi } from "./api.js";
import { ssmSetup } from "./setup.js";
import { SsmWorld } from "./world.js";

/**
 * Systems Manager: managed nodes (EC2 `i-...` and on-premises `mi-...`, tags, ping status, platform) and Run Command
 * (AWS-RunShellScript / AWS-RunPowerShellScript) with per-node status, output, duration and exit code in simulated
 * time; scripted failures, hangs and nodes whose agent is gone (awsJson1_1).
 */
export const ssm: ServiceDefinition<"ssm", SsmWorld> = {
  name: "ssm",
  create(ctx) {
    const world = new SsmWorld(ctx.clock, () => ctx.ids.uuid());
    return { world, api: new SsmApi(world), setup: ssmSetup(world) };
  },
};

/** The SSM world of a simulated account (its observations: revisionOf, commands, commandCount). */
export function ssmWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): SsmWorld {
  return account.services.get("ssm")?.world as SsmWorld;
}
