import type { ServiceDefinition } from "../shared/service.js";
import { CloudWatchApi } from "./api.js";
import { ALARM_STATE_CHANGE, alarmStateChangeDetail } from "./events.js";
import { cloudWatchSetup } from "./setup.js";
import { cloudWatchTimeline } from "./timeline.js";
import { CloudWatchWorld } from "./world.js";

/** CloudWatch: alarms with scripted states (each change emits "CloudWatch Alarm State Change"), metric datapoints, GetMetricData (awsJson1_0). */
export const cloudWatch: ServiceDefinition<"cloudwatch", CloudWatchWorld> = {
  name: "cloudwatch",
  create(ctx) {
    const world = new CloudWatchWorld(ctx.clock, ctx.region, ctx.accountId);
    world.onStateChange((alarm, previous, atMs) => {
      ctx.emit({ source: "aws.cloudwatch", detailType: ALARM_STATE_CHANGE, detail: alarmStateChangeDetail(alarm, previous), resources: [world.alarmArn(alarm.name)], atMs });
    });
    return { world, api: new CloudWatchApi(world, ctx.clock), setup: cloudWatchSetup(world, ctx.msAt), timeline: cloudWatchTimeline(world, ctx.msAt) };
  },
};
