import { describeForward, forwardFor, forwardRevision, isExactly, weightOnGreen } from "../../domain/ecs/weights.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { ListenerWeightsTarget } from "../../domain/traffic/target.js";
import type { LoadBalancerPort, RouteForward } from "../../ports/load-balancer.js";

export type { ListenerWeightsTarget };

/** Where traffic stands: percent on green (null: a state this deployment did not make), the revision, and a description. */
export interface RouteReading {
  weight: number | null;
  revision: string;
  describe: string;
}

export type RouteRestore = { restored: true; reading: RouteReading } | { restored: false; reading: RouteReading; reason: string };

const reading = (target: ListenerWeightsTarget, r: RouteForward): RouteReading => ({
  weight: weightOnGreen(target, r.targetGroups),
  revision: forwardRevision(r.targetGroups),
  describe: `${r.kind} forwarding ${describeForward(r.targetGroups)}`,
});

const conflict = (target: ListenerWeightsTarget, now: RouteReading, what: string) =>
  new StepDeployError(ErrorNames.TrafficConflict, `${target.routeArn} ${what}: it is a ${now.describe}; another writer changed it and stepdeploy did not overwrite it`);

/**
 * The listener-weights router: ModifyListener/ModifyRule with `{blue: 100-w, green: w}`, read back with
 * DescribeListeners/DescribeRules (as Argo Rollouts' ALB router verifies a weight landed before it moves
 * on). ELBv2 has no conditional write, so every write is preceded by a read compared with the revision
 * the deployment last saw: a route someone else changed is reported (`Deploy.TrafficConflict`), never
 * overwritten. A route already at the wanted weights is our own earlier write (a retried step) and counts
 * as done. The same shape as the Lambda alias router (read, setWeight, verify, restore).
 */
export function listenerWeightsRouter(lb: LoadBalancerPort) {
  const write = async (target: ListenerWeightsTarget, weight: number, expectedRevision: string, ownWeights: number[] = []): Promise<RouteReading> => {
    const r = await lb.readRoute(target.routeArn);
    const now = reading(target, r);
    if (isExactly(target, r.targetGroups, weight)) return now;
    // A route at one of this deployment's own weights is its own earlier write whose answer was lost.
    const mine = ownWeights.some((w) => isExactly(target, r.targetGroups, w));
    if (now.revision !== expectedRevision && !mine) throw conflict(target, now, `changed before stepdeploy set ${weight}% on green`);
    try {
      return reading(target, await lb.writeRoute(target.routeArn, forwardFor(target, weight)));
    } catch (e) {
      if ((e as Error).name !== ErrorNames.UnsupportedTrafficConfig) throw e;
      throw new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `${target.config} needs weighted target groups on ${target.routeArn}, and its network load balancer refuses them: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    async read(target: ListenerWeightsTarget): Promise<RouteReading> {
      return reading(target, await lb.readRoute(target.routeArn));
    },
    setWeight: write,
    /** Reads back and throws `Deploy.TrafficConflict` unless the route forwards exactly `{blue: 100-w, green: w}`: no bake on a weight that did not land. */
    async verify(target: ListenerWeightsTarget, weight: number): Promise<RouteReading> {
      const r = await lb.readRoute(target.routeArn);
      const now = reading(target, r);
      if (!isExactly(target, r.targetGroups, weight)) throw conflict(target, now, `does not serve ${weight}% on green`);
      return now;
    },
    /**
     * Back to 100% on blue unless someone else changed the route; a route at one of our own weights is restored from
     * there. A route that already sends everything to blue, in whatever form (the original single-target forward, or
     * blue at any weight beside green at 0), is restored: nothing is written.
     */
    async restore(target: ListenerWeightsTarget, expectedRevision: string, ownWeights: number[] = []): Promise<RouteRestore> {
      const r = await lb.readRoute(target.routeArn);
      const now = reading(target, r);
      if (now.weight === 0) return { restored: true, reading: now };
      const ours = now.revision === expectedRevision || [0, ...ownWeights].some((w) => isExactly(target, r.targetGroups, w));
      if (!ours) return { restored: false, reading: now, reason: conflict(target, now, "was not restored").message };
      return { restored: true, reading: await write(target, 0, now.revision) };
    },
  };
}

export type ListenerWeightsRouter = ReturnType<typeof listenerWeightsRouter>;

