import type { SimClock } from "../../clock.js";
import type { Ec2World } from "../ec2/world.js";
import { type HealthMode, ModeHistory } from "../elbv2/modes.js";
import { AwsError } from "../shared/protocol/errors.js";

/** A Classic Load Balancer's health check (DescribeLoadBalancers `HealthCheck`; the API's defaults: 30 s, 10 healthy, 2 unhealthy). */
export interface ClassicHealthCheck {
  target: string;
  intervalSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface ClassicInstance {
  id: string;
  registeredAt: number;
  deregisteredAt?: number;
}

export interface ClassicLoadBalancer {
  name: string;
  healthCheck: ClassicHealthCheck;
  /** The ConnectionDraining attribute (default: enabled, 300 s, as the console creates it). */
  connectionDraining: { enabled: boolean; timeoutSeconds: number };
  /** Every registration, in order (a re-registration is a new entry). */
  instances: ClassicInstance[];
  /** Instance id -> whether its application answers the health checks, over simulated time. */
  apps: Map<string, ModeHistory>;
}

/** One instance as DescribeInstanceHealth reports it (`InstanceState`). */
export interface ClassicInstanceState {
  instanceId: string;
  state: "InService" | "OutOfService" | "Unknown";
  reasonCode: "ELB" | "Instance" | "N/A";
  description: string;
}

export const NOT_REGISTERED = "Instance is not currently registered with the LoadBalancer.";
export const DEREGISTERING = "Instance deregistration currently in progress.";

/**
 * The simulated Elastic Load Balancing 2012-06-01 API (Classic Load Balancers) as an EC2/on-premises deployment uses
 * it: load balancers by name with their registered instances, health in simulated time and connection draining.
 * Sources (Classic Load Balancers User Guide and API reference, 2012-06-01):
 *  - config-conn-drain: while a deregistered instance drains (1-3600 s, default 300) "the load balancer reports the
 *    state of a de-registering instance as InService: Instance deregistration currently in progress"; then
 *    "OutOfService: Instance is not currently registered with the LoadBalancer". (AWS completes at once when the
 *    instance has no connection; the simulation always drains for the whole timeout, the worst case.)
 *  - RegisterInstancesWithLoadBalancer: "The instance must be a running instance"; errors AccessPointNotFound (query
 *    code LoadBalancerNotFound) and InvalidEndPoint (query code InvalidInstance). Messages as AWS writes them in
 *    public reports: "There is no ACTIVE Load Balancer named '<name>'" (erlcloud/erlcloud#250), "EC2 instance <id> is
 *    not in running state." (kubernetes/kubernetes#74694), "Could not find EC2 instance <id>." (boto/boto#2274, also
 *    for an instance never registered with the load balancer, which DeregisterInstancesFromLoadBalancer refuses while
 *    one deregistered before is a no-op: boto/boto#2576).
 *  - A new instance is OutOfService until `healthyThreshold x interval` seconds of passing checks (ours: the
 *    description "Instance registration is still in progress."), then InService; an application that fails its
 *    checks is OutOfService (reason Instance) after `unhealthyThreshold x interval`.
 */
export class ClassicElbWorld {
  readonly loadBalancers = new Map<string, ClassicLoadBalancer>();

  constructor(
    private readonly clock: SimClock,
    private readonly ec2: () => Ec2World | undefined,
  ) {}

  now(): number {
    return this.clock.elapsedSeconds();
  }

  create(spec: { name: string; healthCheck?: Partial<ClassicHealthCheck>; connectionDraining?: { enabled?: boolean; timeoutSeconds?: number } }): ClassicLoadBalancer {
    const lb: ClassicLoadBalancer = {
      name: spec.name,
      healthCheck: { target: "HTTP:80/", intervalSeconds: 30, healthyThreshold: 10, unhealthyThreshold: 2, ...spec.healthCheck },
      connectionDraining: { enabled: spec.connectionDraining?.enabled ?? true, timeoutSeconds: spec.connectionDraining?.timeoutSeconds ?? 300 },
      instances: [],
      apps: new Map(),
    };
    this.loadBalancers.set(lb.name, lb);
    return lb;
  }

  loadBalancer(name: string): ClassicLoadBalancer {
    const lb = this.loadBalancers.get(name);
    if (!lb) throw new AwsError("LoadBalancerNotFound", `There is no ACTIVE Load Balancer named '${name}'`, { status: 400 });
    return lb;
  }

  /** Whose application does (not) answer the checks from now on (setup, timeline). */
  setApp(name: string, instanceId: string, mode: HealthMode, at = this.now()): void {
    const lb = this.loadBalancer(name);
    const app = lb.apps.get(instanceId) ?? new ModeHistory();
    app.set(at, mode);
    lb.apps.set(instanceId, app);
  }

  private current(lb: ClassicLoadBalancer, id: string, t: number): ClassicInstance | undefined {
    return lb.instances.find((i) => i.id === id && i.registeredAt <= t && (i.deregisteredAt === undefined || i.deregisteredAt > t));
  }

  /** Registers running EC2 instances (all or none: one that is not running or unknown refuses the whole call). */
  register(name: string, ids: string[], opts: { at?: number; checkEc2?: boolean } = {}): string[] {
    const lb = this.loadBalancer(name);
    const at = opts.at ?? this.now();
    if (opts.checkEc2 !== false) for (const id of ids) this.requireRunning(id);
    for (const id of ids) if (!this.current(lb, id, at)) lb.instances.push({ id, registeredAt: at });
    return this.registeredIds(lb, at);
  }

  /** Deregisters instances: each drains for the ConnectionDraining timeout (when enabled), then is gone. */
  deregister(name: string, ids: string[]): string[] {
    const lb = this.loadBalancer(name);
    const at = this.now();
    const never = ids.filter((id) => !lb.instances.some((i) => i.id === id));
    if (never.length) throw invalidInstance(`Could not find EC2 instance ${never[0]}.`);
    for (const id of ids) {
      const inst = this.current(lb, id, at);
      if (inst) inst.deregisteredAt = at;
    }
    return this.registeredIds(lb, at);
  }

  /** The instances DescribeLoadBalancers lists: registered and not deregistered. */
  registeredIds(lb: ClassicLoadBalancer, t = this.now()): string[] {
    return [...new Set(lb.instances.filter((i) => i.registeredAt <= t && i.deregisteredAt === undefined).map((i) => i.id))];
  }

  /**
   * DescribeInstanceHealth at `t`: without ids, every registered instance and every one still draining; with ids,
   * exactly those (one not registered is OutOfService, NOT_REGISTERED).
   */
  health(name: string, ids?: string[], t = this.now()): ClassicInstanceState[] {
    const lb = this.loadBalancer(name);
    const draining = (i: ClassicInstance) => i.deregisteredAt !== undefined && i.deregisteredAt <= t && lb.connectionDraining.enabled && t < i.deregisteredAt + lb.connectionDraining.timeoutSeconds;
    const listed = (id: string) => this.current(lb, id, t) ?? [...lb.instances].reverse().find((i) => i.id === id && draining(i));
    const wanted = ids ?? [...new Set(lb.instances.map((i) => i.id))].filter((id) => listed(id));
    return wanted.map((id) => {
      const inst = listed(id);
      if (!inst) return { instanceId: id, state: "OutOfService", reasonCode: "ELB", description: NOT_REGISTERED };
      if (inst.deregisteredAt !== undefined && inst.deregisteredAt <= t) return { instanceId: id, state: "InService", reasonCode: "N/A", description: DEREGISTERING };
      return { instanceId: id, ...this.checks(lb, inst, t) };
    });
  }

  private checks(lb: ClassicLoadBalancer, inst: ClassicInstance, t: number): Omit<ClassicInstanceState, "instanceId"> {
    const { intervalSeconds, healthyThreshold, unhealthyThreshold } = lb.healthCheck;
    const app = lb.apps.get(inst.id)?.at(t) ?? { mode: "healthy" as const, since: Number.NEGATIVE_INFINITY };
    const start = Math.max(inst.registeredAt, app.since);
    const fresh = app.since <= inst.registeredAt;
    const inService = { state: "InService", reasonCode: "N/A", description: "N/A" } as const;
    const failing = { state: "OutOfService", reasonCode: "Instance", description: "Instance has failed at least the UnhealthyThreshold number of health checks consecutively." } as const;
    const registering = { state: "OutOfService", reasonCode: "ELB", description: "Instance registration is still in progress." } as const;
    if (app.mode === "healthy") return t >= start + intervalSeconds * healthyThreshold ? inService : fresh ? registering : failing;
    if (t >= start + intervalSeconds * unhealthyThreshold) return failing;
    return fresh ? registering : inService;
  }

  private requireRunning(id: string): void {
    const ec2 = this.ec2();
    const instance = ec2?.instance(id);
    if (!id.startsWith("i-") || !instance) throw invalidInstance(`Could not find EC2 instance ${id}.`);
    if (ec2 && ec2.stateOf(instance) !== "running") throw invalidInstance(`EC2 instance ${id} is not in running state.`);
  }
}

const invalidInstance = (message: string) => new AwsError("InvalidInstance", message, { status: 400 });
