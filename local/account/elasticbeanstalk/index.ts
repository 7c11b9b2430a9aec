import type { ServiceDefinition } from "../shared/service.js";
import { ElasticBeanstalkApi } from "./api.js";
import { elasticBeanstalkSetup } from "./setup.js";
import { ElasticBeanstalkWorld } from "./world.js";

/** Elastic Beanstalk: applications, versions and environments whose deployments unfold on the SimClock (awsQuery, XML), for pipelines' ElasticBeanstalk actions. */
export const elasticBeanstalk: ServiceDefinition<"elasticbeanstalk", ElasticBeanstalkWorld> = {
  name: "elasticbeanstalk",
  create(ctx) {
    const world = new ElasticBeanstalkWorld(ctx.clock, ctx.accountId);
    return { world, api: new ElasticBeanstalkApi(world, (s) => ctx.msAt(s), () => ctx.ids.uuid()), setup: elasticBeanstalkSetup(world) };
  },
};

/** The Elastic Beanstalk world of a simulated account (its observations: environments, versions, events). */
export function elasticBeanstalkWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): ElasticBeanstalkWorld | undefined {
  return account.services.get("elasticbeanstalk")?.world as ElasticBeanstalkWorld | undefined;
}
