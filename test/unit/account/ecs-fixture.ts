import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ecsWorldOf } from "../../../local/account/ecs/index.js";
import type { EcsWorld } from "../../../local/account/ecs/world.js";
import { elbv2WorldOf } from "../../../local/account/elbv2/index.js";
import type { Elbv2World } from "../../../local/account/elbv2/world.js";
import { afterEach } from "vitest";
import { type Harness, describeEachTransport } from "./helpers.js";

/**
 * One ECS service behind an Application Load Balancer, as a CodeDeploy blue/green group has it: two
 * target groups (blue serves, green idles at weight 0), a production listener on 80 and a test listener
 * on 8080, task definitions web:1 (running) and web:2 (the next version). Health checks every 5 s,
 * 2 to pass, 2 to fail; 30 s deregistration delay; tasks start in 20 s.
 */
const container = (image: string) => ({ name: "web", image, portMappings: [{ containerPort: 80 }] });
const taskDefinition = (image: string) => ({ family: "web", containerDefinitions: [container(image)], networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512" });
const healthCheck = { intervalSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 2 };

export const WEB_SETUP = {
  targetGroups: [
    { name: "web-blue", protocol: "HTTP", port: 80, healthCheck, deregistrationDelaySeconds: 30 },
    { name: "web-green", protocol: "HTTP", port: 80, healthCheck, deregistrationDelaySeconds: 30 },
    { name: "tcp-a", protocol: "TCP", port: 80, healthCheck },
    { name: "tcp-b", protocol: "TCP", port: 80, healthCheck },
    { name: "admin", protocol: "HTTP", port: 80, healthCheck },
  ],
  loadBalancers: [
    {
      name: "web",
      type: "application",
      listeners: [
        { port: 80, forward: { "web-blue": 100, "web-green": 0 }, rules: [{ priority: 10, pathPattern: "/api/*", forward: "web-blue" }] },
        { port: 8080, forward: "web-blue" },
      ],
    },
    { name: "edge", type: "network", listeners: [{ port: 443, protocol: "TCP", forward: "tcp-a" }] },
    { name: "admin", type: "application", listeners: [{ port: 80, forward: "admin" }] },
  ],
  ecs: {
    taskDefinitions: [taskDefinition("web:v1"), taskDefinition("web:v2")],
    clusters: [
      {
        name: "prod",
        services: [
          {
            name: "web",
            desiredCount: 2,
            launchType: "FARGATE",
            taskDefinition: "web:1",
            taskStartSeconds: 20,
            loadBalancer: { targetGroup: "web-blue", containerName: "web", containerPort: 80 },
            networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } },
          },
          { name: "rolling", desiredCount: 1, deploymentController: "ECS" },
        ],
      },
    ],
  },
};

export const NETWORK = { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } };

export interface EcsHarness {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  ecsWorld: EcsWorld;
  elbv2World: Elbv2World;
  /** ARN of a target group by name. */
  tg(name: string): string;
  /** ARN of a listener or rule by `lb:port[:priority]`. */
  arn(resource: string): string;
  close(): void;
}

export function ecsClients(h: Harness, opts: { maxAttempts?: number } = {}): EcsHarness {
  const ecs = new ECSClient({ ...h.config, ...opts });
  const elbv2 = new ElasticLoadBalancingV2Client({ ...h.config, ...opts });
  const elbv2World = elbv2WorldOf(h.account);
  return {
    ecs,
    elbv2,
    ecsWorld: ecsWorldOf(h.account),
    elbv2World,
    tg: (name) => elbv2World.byName(elbv2World.targetGroups, name)?.arn as string,
    arn: (resource) => elbv2World.findByName(resource)?.arn as string,
    close: () => {
      ecs.destroy();
      elbv2.destroy();
    },
  };
}

/** Runs `tests` over both transports on a fresh WEB_SETUP account each, with ECS and ELBv2 clients. */
export function describeWebAccount(use: (h: Harness, x: EcsHarness) => void, tests: () => void): void {
  let clients: EcsHarness | undefined;
  describeEachTransport(
    WEB_SETUP,
    (harness) => {
      clients = ecsClients(harness);
      use(harness, clients);
    },
    () => {
      afterEach(() => clients?.close());
      tests();
    },
  );
}
