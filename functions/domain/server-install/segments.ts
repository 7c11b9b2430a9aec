import { LIFECYCLE } from "../appspec/index.js";

/**
 * Which lifecycle events each instance command runs (codedeploy-spec §3.1). The instance runs everything except
 * BlockTraffic and AllowTraffic, which the workflow does on the load balancer between commands. Without a load
 * balancer the six traffic events do not exist and one command installs the revision; with one, three commands:
 * BeforeBlockTraffic | (deregister) | AfterBlockTraffic ... BeforeAllowTraffic | (register) | AfterAllowTraffic.
 */
export function installSegments(withLoadBalancer: boolean): string[][] {
  const all = LIFECYCLE.server.map((e) => e.name);
  if (!withLoadBalancer) return [all.slice(all.indexOf("ApplicationStop"), all.indexOf("ValidateService") + 1)];
  return [["BeforeBlockTraffic"], all.slice(all.indexOf("AfterBlockTraffic"), all.indexOf("BeforeAllowTraffic") + 1), ["AfterAllowTraffic"]];
}

/** Events whose scripts come from the last successful revision on the instance, skipped on the first deployment (§3.2). */
export const PREVIOUS_REVISION_EVENTS: ReadonlySet<string> = new Set(["BeforeBlockTraffic", "AfterBlockTraffic", "ApplicationStop"]);

/** Events the instance script does itself (no hooks). */
export const RESERVED_INSTANCE_EVENTS: ReadonlySet<string> = new Set(["DownloadBundle", "Install"]);
