import type { TrafficTarget } from "../../domain/traffic/target.js";
import type { LambdaAliasPort } from "../../ports/lambda-alias.js";
import type { TrafficRouter } from "../../ports/traffic-router.js";
import type { LoadBalancerPort } from "../../ports/load-balancer.js";
import { lambdaAliasRouter } from "./lambda-alias.js";
import { listenerWeightsRouter } from "./listener-weights.js";

/** The router for a target's kind: the one place where a new platform's traffic mechanism is chosen. */
export function routerFor(deps: { lambda: LambdaAliasPort; loadBalancer: LoadBalancerPort }, target: TrafficTarget): TrafficRouter {
  switch (target.kind) {
    case "lambda-alias":
      return lambdaAliasRouter(deps.lambda) as TrafficRouter;
    case "listener-weights":
      return listenerWeightsRouter(deps.loadBalancer) as TrafficRouter;
  }
}
