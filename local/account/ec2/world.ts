import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import type { SsmWorld } from "../ssm/world.js";
import type { InstanceBehaviour } from "../ssm/model.js";
import { type Ec2Instance, type InstanceStateName, type LaunchTemplate, PENDING_SECONDS, SHUTTING_DOWN_SECONDS } from "./model.js";

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** EC2's own error codes, HTTP 400 (EC2 API reference, "Error codes for the Amazon EC2 API"). */
export const ec2Error = (code: string, message: string) => new AwsError(code, message, { status: 400 });

export interface InstanceFilter {
  name: string;
  values: string[];
}

/**
 * EC2 instances with tags and states in simulated time: `pending` for PENDING_SECONDS after launch, then `running`;
 * after TerminateInstances `shutting-down` for SHUTTING_DOWN_SECONDS, then `terminated` (still listed, as EC2 keeps
 * listing terminated instances for a while). An instance launched here (by an Auto Scaling group) also becomes an SSM
 * managed node with its tags; a terminated one's node stops answering (PingStatus ConnectionLost). Every `i-` node the
 * SSM setup declares is an EC2 instance running since the start, with the node's tags.
 */
export class Ec2World {
  private readonly own = new Map<string, Ec2Instance>();
  readonly launchTemplates = new Map<string, LaunchTemplate>();
  private launched = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly ssm: () => SsmWorld,
  ) {}

  /** Every instance, the SSM setup's `i-` nodes included (in id order). */
  get instances(): Ec2Instance[] {
    const startMs = this.clock.now() - this.clock.elapsedSeconds() * 1000;
    for (const node of this.ssm().instances.values()) {
      if (!node.id.startsWith("i-") || this.own.has(node.id)) continue;
      this.own.set(node.id, { id: node.id, reservationId: `r-${node.id.slice(2)}`, imageId: "ami-0sim", instanceType: "t3.micro", tags: node.tags, launchedAtMs: startMs, runningAtMs: startMs });
    }
    return [...this.own.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  instance(id: string): Ec2Instance | undefined {
    return this.instances.find((i) => i.id === id);
  }

  stateOf(i: Ec2Instance, now = this.clock.now()): InstanceStateName {
    if (i.terminateRequestedAtMs !== undefined) return now >= i.terminateRequestedAtMs + SHUTTING_DOWN_SECONDS * 1000 ? "terminated" : "shutting-down";
    return now >= i.runningAtMs ? "running" : "pending";
  }

  addLaunchTemplate(t: { name: string; imageId?: string; instanceType?: string; behaviour?: Partial<InstanceBehaviour> }): LaunchTemplate {
    const template: LaunchTemplate = { id: `lt-${(this.launchTemplates.size + 1).toString(16).padStart(17, "0")}`, name: t.name, imageId: t.imageId ?? "ami-0sim", instanceType: t.instanceType ?? "t3.micro", ...(t.behaviour ? { behaviour: t.behaviour } : {}) };
    this.launchTemplates.set(t.name, template);
    return template;
  }

  /** Launches one instance from a launch template (RunInstances as Auto Scaling calls it), an SSM managed node at once; `running`: already running (setup). */
  launch(template: LaunchTemplate, tags: Record<string, string>, opts: { running?: boolean } = {}): Ec2Instance {
    this.launched += 1;
    const id = `i-0a5${this.launched.toString(16).padStart(14, "0")}`;
    const now = this.clock.now();
    const instance: Ec2Instance = { id, reservationId: `r-0a5${this.launched.toString(16).padStart(14, "0")}`, imageId: template.imageId, instanceType: template.instanceType, tags: { ...tags }, launchedAtMs: now, runningAtMs: opts.running ? now : now + PENDING_SECONDS * 1000, launchTemplate: template.name };
    this.own.set(id, instance);
    this.ssm().addInstance({ id, tags, ...(template.behaviour ? { behaviour: template.behaviour } : {}) });
    return instance;
  }

  /** DescribeInstances: by id (every id must exist: InvalidInstanceID.NotFound) and filters (AND across, OR within). */
  describe(instanceIds: string[], filters: InstanceFilter[]): Ec2Instance[] {
    this.requireIds(instanceIds);
    let found = instanceIds.length ? this.instances.filter((i) => instanceIds.includes(i.id)) : this.instances;
    for (const f of filters) {
      if (f.name === "instance-id") found = found.filter((i) => f.values.includes(i.id));
      else if (f.name === "instance-state-name") found = found.filter((i) => f.values.includes(this.stateOf(i)));
      else if (f.name === "tag-key") found = found.filter((i) => f.values.some((v) => v in i.tags));
      else if (f.name.startsWith("tag:")) found = found.filter((i) => f.values.includes(i.tags[f.name.slice(4)] as string));
      else throw ec2Error("InvalidParameterValue", `The filter '${f.name}' is invalid (the simulated account models instance-id, instance-state-name, tag:<key>, tag-key)`);
    }
    return found;
  }

  /** TerminateInstances: each instance's previous and current state; terminating a terminated instance changes nothing. */
  terminate(instanceIds: string[]): { instance: Ec2Instance; previous: InstanceStateName; current: InstanceStateName }[] {
    if (instanceIds.length === 0) throw ec2Error("MissingParameter", "The request must contain the parameter InstanceId");
    this.requireIds(instanceIds);
    const now = this.clock.now();
    return instanceIds.map((id) => {
      const instance = this.instance(id) as Ec2Instance;
      const previous = this.stateOf(instance, now);
      if (instance.terminateRequestedAtMs === undefined) instance.terminateRequestedAtMs = now;
      const node = this.ssm().instances.get(id);
      if (node) node.pingStatus = "ConnectionLost";
      // its running commands never report back (ssm/world.ts agentLost)
      if (node) this.ssm().agentLost(id);
      return { instance, previous, current: this.stateOf(instance, now) };
    });
  }

  /** EC2's answers for ids: a malformed one is InvalidInstanceID.Malformed, unknown ones InvalidInstanceID.NotFound. */
  private requireIds(ids: string[]): void {
    const malformed = ids.find((id) => !INSTANCE_ID.test(id));
    if (malformed) throw ec2Error("InvalidInstanceID.Malformed", `Invalid id: "${malformed}"`);
    const known = new Set(this.instances.map((i) => i.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length === 1) throw ec2Error("InvalidInstanceID.NotFound", `The instance ID '${missing[0]}' does not exist`);
    if (missing.length > 1) throw ec2Error("InvalidInstanceID.NotFound", `The instance IDs '${missing.join(", ")}' do not exist`);
  }
}
