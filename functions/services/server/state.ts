import type { DeploymentTargetGroup } from "../../domain/fleet/traffic.js";
import type { InstallCommand } from "../../domain/server-install/index.js";

/**
 * What every step of a server deployment needs to build an instance command (the execution's `$.deployment`), and the
 * target groups BlockTraffic/AllowTraffic move the instances in (empty: no load balancer, one command per instance).
 */
export type DeploymentContext = Omit<InstallCommand, "events" | "final"> & {
  pollSeconds: number;
  targetGroups?: DeploymentTargetGroup[];
  /** A weighted blue/green reroute: the target groups' ARNs, the route and its forward action as Start read it (services/server/weighted.ts). */
  weighted?: { blue: string; green: string; routeArn: string; revision: string; config: string };
};

/** Where the rolling deployment stands (the execution's `$.fleet`): ordered reachable instances and a cursor. */
export interface FleetState {
  config: string;
  /** Every targeted instance, reachable or not (CodeDeploy's instance count). */
  total: number;
  minHealthy: number;
  /** Reachable managed nodes in deployment order (CodeDeploy's: unhealthy first, then unknown, old, current revision). */
  instances: string[];
  /** How many of `instances`, at their front, are unhealthy from the group's earlier deployments (absent: none). */
  unhealthy?: number;
  cursor: number;
  succeeded: number;
  failed: number;
  batches: number;
  /** Targeted instances SSM cannot reach (no agent, not a managed node, offline): counted as failed from the start. */
  unreachable: { instanceId: string; reason: string }[];
  /**
   * In place, or where a blue/green deployment stands: `provision` (waiting for a copied Auto Scaling group's
   * instances), `install` (on the green fleet, in batches), `allow` (green into the target groups), `shift` (a weighted
   * reroute's listener steps), `block` (the originals out), `retire` (after the termination wait); `terminate`: a
   * termination deployment (its one batch runs the terminate phase's commands).
   */
  phase: "inPlace" | "provision" | "install" | "allow" | "shift" | "block" | "retire" | "terminate";
  /** Blue/green: the green instances whose install succeeded, in order (AllowTraffic registers them). */
  installed?: string[];
  /** When the deployment started (epoch ms): the copied group's instances must be InService within an hour of it. */
  startedAtMs: number;
  /** A blue/green rollback under way (services/server/blue-green.ts rollBackBlueGreen): its batch so far, what it did. */
  reroute?: { stage: "restore" | "block"; routeRestored: boolean; notes: string[] };
}

/** One instance's outcome in a batch. */
export interface InstanceOutcome {
  instanceId: string;
  status: "Succeeded" | "Failed";
  /** The lifecycle event that failed, CodeDeploy's diagnostics code and the agent's message. */
  event?: string;
  errorCode?: string;
  message?: string;
}

export interface BatchResult {
  outcomes: InstanceOutcome[];
  /** The batch was cancelled while it ran (a stop or an alarm seen by its poll): why. Null or absent: it ran to its end. */
  interrupted?: { error: string; cause: string } | null;
}
