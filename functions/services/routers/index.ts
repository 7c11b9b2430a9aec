import type { TrafficTarget } from "../../domain/traffic/target.js";
import type { LambdaAliasPort } from "../../ports/lambda-alias.js";
import type { TrafficRouter } from "../../ports/traffic-router.js";
import { lambdaAliasRouter } from "./lambda-alias.js";

/** The router for a target's kind: the one place where a new platform's traffic mechanism is chosen. */
export function routerFor(deps: { lambda: LambdaAliasPort }, target: TrafficTarget): TrafficRouter {
  switch (target.kind) {
    case "lambda-alias":
      return lambdaAliasRouter(deps.lambda) as TrafficRouter;
  }
}
