import type { ServiceDefinition } from "../shared/service.js";
import { SfnApi } from "./api.js";
import { EXECUTION_STATUS_CHANGE, executionStatusChangeDetail } from "./events.js";
import { sfnSetup } from "./setup.js";
import { SfnWorld } from "./world.js";

/**
 * Step Functions: state machines, executions (run by an ExecutionHost; each status change of a
 * Standard execution emits "Step Functions Execution Status Change") and task tokens (awsJson1_0).
 */
export const sfn: ServiceDefinition<"sfn", SfnWorld> = {
  name: "sfn",
  create(ctx) {
    const world = new SfnWorld({
      ...ctx,
      onStatusChange: (e) => {
        ctx.emit({ source: "aws.states", detailType: EXECUTION_STATUS_CHANGE, detail: executionStatusChangeDetail(e), resources: [e.executionArn] });
      },
      log: (text) => ctx.log("execution", text),
    });
    return { world, api: new SfnApi(world), setup: sfnSetup(world) };
  },
};
