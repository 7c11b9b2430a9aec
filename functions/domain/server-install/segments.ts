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

/**
 * The events whose scripts a revision saves at Install for later commands (stepdeploy-hooks.sh / .json): the three
 * above, and the allow-traffic hooks a blue/green rollback runs on the original instances from their own revision.
 */
export const SAVED_HOOK_EVENTS: readonly string[] = [...PREVIOUS_REVISION_EVENTS, "BeforeAllowTraffic", "AfterAllowTraffic"];

/** Events the instance script does itself (no hooks). */
export const RESERVED_INSTANCE_EVENTS: ReadonlySet<string> = new Set(["DownloadBundle", "Install"]);

/**
 * Where a server deployment's instance commands stand: an in-place deployment, or a blue/green one's install on the
 * replacement (green) instances, AllowTraffic on them, BlockTraffic on the original (blue) ones (§3.3); in a blue/green
 * rollback, `restore`: AllowTraffic on the original instances with their own (last successful) revision's hooks (§5.3),
 * then `block` on the replacements (whose last revision is the new one); `terminate`: a termination deployment on an
 * instance Auto Scaling scales in.
 */
export type ServerPhase = "inPlace" | "install" | "allow" | "block" | "restore" | "terminate";

/** One instance command: its events, the traffic event the workflow does after it, and whether it records the revision. */
export interface Segment {
  events: string[];
  traffic?: "BlockTraffic" | "AllowTraffic";
  records: boolean;
  /** Every event's scripts come from the last successful revision on the instance (a rollback's `restore`). */
  fromLastRevision?: boolean;
}

/**
 * The commands of a phase (codedeploy-spec §3.3, the blue/green availability table): green instances get ApplicationStop
 * through ValidateService (the revision is theirs from then on), later BeforeAllowTraffic | AllowTraffic |
 * AfterAllowTraffic; the original instances BeforeBlockTraffic | BlockTraffic | AfterBlockTraffic, with their own
 * (previous) revision's scripts. In place, installSegments.
 */
export function phaseSegments(phase: ServerPhase, withLoadBalancer: boolean): Segment[] {
  if (phase === "install") return [{ events: installSegments(false)[0] as string[], records: true }];
  if (phase === "allow") return [{ events: ["BeforeAllowTraffic"], traffic: "AllowTraffic", records: false }, { events: ["AfterAllowTraffic"], records: false }];
  if (phase === "restore") return [{ events: ["BeforeAllowTraffic"], traffic: "AllowTraffic", records: false, fromLastRevision: true }, { events: ["AfterAllowTraffic"], records: false, fromLastRevision: true }];
  // A termination deployment (docs/ec2.md#auto-scaling): the block-traffic hooks around BlockTraffic, then ApplicationStop
  // (the in-place order: the application stops once it serves no traffic), every script from the instance's last
  // revision (PREVIOUS_REVISION_EVENTS); nothing downloaded, installed or recorded.
  if (phase === "terminate") return withLoadBalancer ? [{ events: ["BeforeBlockTraffic"], traffic: "BlockTraffic", records: false }, { events: ["AfterBlockTraffic", "ApplicationStop"], records: false }] : [{ events: ["ApplicationStop"], records: false }];
  if (phase === "block") return [{ events: ["BeforeBlockTraffic"], traffic: "BlockTraffic", records: false }, { events: ["AfterBlockTraffic"], records: false }];
  const segments = installSegments(withLoadBalancer);
  return segments.map((events, k) => ({ events, records: k === segments.length - 1, ...(k < segments.length - 1 ? { traffic: k === 0 ? ("BlockTraffic" as const) : ("AllowTraffic" as const) } : {}) }));
}
