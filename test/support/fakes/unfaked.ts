import type { ClassicLoadBalancerPort } from "../../../functions/ports/classic-load-balancer.js";
import type { CloudFormationPort } from "../../../functions/ports/cloudformation.js";
import type { ElasticBeanstalkPort } from "../../../functions/ports/elastic-beanstalk.js";

/**
 * CloudFormation, Elastic Beanstalk and Classic Load Balancers are not faked in memory: their tests run on the
 * simulated account's services through the real adapters (test/unit/pipeline/cloudformation-deploy.test.ts,
 * beanstalk-deploy.test.ts). Any call here says so.
 */
function unfaked<T extends object>(service: string): T {
  return new Proxy({} as T, {
    get: (_, method) =>
      method === "then"
        ? undefined
        : async () => {
            throw new Error(`${service}.${String(method)} is not faked: test ${service} actions on the simulated account`);
          },
  });
}

export const unfakedCloudFormation = (): CloudFormationPort => unfaked("CloudFormation");
export const unfakedElasticBeanstalk = (): ElasticBeanstalkPort => unfaked("ElasticBeanstalk");
export const unfakedClassicLoadBalancer = (): ClassicLoadBalancerPort => unfaked("ClassicLoadBalancer");
