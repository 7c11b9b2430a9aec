import {
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { ClassicLoadBalancerPort } from "../ports/classic-load-balancer.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const elbClient = (): ElasticLoadBalancingClient => cachedClient("elastic_load_balancing", (options) => new ElasticLoadBalancingClient(options));

/**
 * An unknown load balancer (AccessPointNotFoundException, query code LoadBalancerNotFound: "There is no ACTIVE Load
 * Balancer named '<name>'") is `Deploy.ResourceNotFound`; an instance ELB refuses (InvalidEndPointException, query
 * code InvalidInstance: not running, not an EC2 instance) is `Deploy.UnsupportedTrafficConfig`; the rest as every
 * adapter maps them.
 */
function mapError(e: unknown, what: string): StepDeployError {
  const err = e as Error;
  if (err?.name === "AccessPointNotFoundException") return new StepDeployError(ErrorNames.ResourceNotFound, `${what}: ${err.message}`, { cause: e });
  if (err?.name === "InvalidEndPointException") return new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `${what}: InvalidInstance: ${err.message}`, { cause: e });
  return toStepDeployError(e, what);
}

// Documented in the Classic Load Balancers User Guide (config-conn-drain): a deregistering instance stays InService with this description.
const DEREGISTERING = /deregistration currently in progress/i;

export function createElbAdapter(client = elbClient()): ClassicLoadBalancerPort {
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw mapError(e, what);
    }
  };
  return {
    async describe(names) {
      if (names.length === 0) return [];
      const found = await call(`DescribeLoadBalancers ${names.join(", ")}`, async () => (await client.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: names }))).LoadBalancerDescriptions ?? []);
      const out = [];
      for (const name of names) {
        const lb = found.find((l) => l.LoadBalancerName === name);
        if (!lb) throw new StepDeployError(ErrorNames.ResourceNotFound, `DescribeLoadBalancers: There is no ACTIVE Load Balancer named '${name}'`);
        const attrs = await call(`DescribeLoadBalancerAttributes ${name}`, async () => (await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }))).LoadBalancerAttributes);
        const draining = attrs?.ConnectionDraining;
        out.push({
          name,
          drainSeconds: draining?.Enabled ? (draining.Timeout ?? 300) : 0,
          // The API's defaults when a field is missing: every 30 s, InService after 10.
          healthCheck: { intervalSeconds: lb.HealthCheck?.Interval ?? 30, healthyThreshold: lb.HealthCheck?.HealthyThreshold ?? 10 },
        });
      }
      return out;
    },
    async registerInstances(name, instanceIds) {
      await call(`RegisterInstancesWithLoadBalancer ${name}`, () => client.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: name, Instances: instanceIds.map((InstanceId) => ({ InstanceId })) })));
    },
    async deregisterInstances(name, instanceIds) {
      // Deregistering an instance the load balancer never had is refused (InvalidInstance, boto/boto#2274): only those it lists.
      const lbs = await call(`DescribeLoadBalancers ${name}`, async () => (await client.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }))).LoadBalancerDescriptions ?? []);
      const registered = new Set((lbs[0]?.Instances ?? []).map((i) => i.InstanceId));
      const ids = instanceIds.filter((id) => registered.has(id));
      if (ids.length === 0) return;
      await call(`DeregisterInstancesFromLoadBalancer ${name}`, () => client.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: name, Instances: ids.map((InstanceId) => ({ InstanceId })) })));
    },
    async instanceHealth(name) {
      const states = await call(`DescribeInstanceHealth ${name}`, async () => (await client.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }))).InstanceStates ?? []);
      return states.map((s) => {
        const state = s.State === "InService" ? (DEREGISTERING.test(s.Description ?? "") ? "draining" : "healthy") : s.State === "OutOfService" ? "unhealthy" : "unknown";
        return { id: s.InstanceId ?? "", port: 0, state, ...(s.Description && s.Description !== "N/A" ? { reason: s.Description } : {}) };
      });
    },
  };
}
