import type { AutoScalingGroupView, AutoScalingPort, Ec2Instance, Ec2InstancesPort } from "../../../functions/ports/instances.js";

/** EC2 in memory: instances with tags; terminate marks them terminated. */
export class FakeInstances implements Ec2InstancesPort {
  readonly instances = new Map<string, Ec2Instance & { tags: Record<string, string> }>();
  readonly terminated: string[] = [];

  async findInstances(q: { tags?: Record<string, string[]>; tagKeys?: string[]; instanceIds?: string[] }): Promise<Ec2Instance[]> {
    return [...this.instances.values()]
      .filter((i) => Object.entries(q.tags ?? {}).every(([k, vs]) => vs.includes(i.tags[k] as string)) && (q.tagKeys ?? []).every((k) => k in i.tags) && (!q.instanceIds || q.instanceIds.includes(i.id)))
      .map(({ id, state }) => ({ id, state }));
  }

  async terminate(ids: string[]): Promise<void> {
    for (const id of ids) {
      const i = this.instances.get(id);
      if (i) i.state = "shutting-down";
      this.terminated.push(id);
    }
  }
}

/** Auto Scaling in memory: groups as given; a created copy is recorded, a deleted group removed. */
export class FakeAutoScaling implements AutoScalingPort {
  readonly groups = new Map<string, AutoScalingGroupView>();
  readonly deleted: string[] = [];

  async describeGroup(name: string): Promise<AutoScalingGroupView | undefined> {
    return this.groups.get(name);
  }

  async createGroup(g: Parameters<AutoScalingPort["createGroup"]>[0]): Promise<void> {
    this.groups.set(g.name, { ...g, instances: [], targetGroupArns: [] });
  }

  async deleteGroup(name: string): Promise<void> {
    this.groups.delete(name);
    this.deleted.push(name);
  }

  /** PutLifecycleHook calls ("group/hook") and CompleteLifecycleAction calls ("group/hook token RESULT"), in order. */
  readonly hooks: string[] = [];
  readonly completed: string[] = [];

  async putLaunchHook(group: string, hook: { name: string }): Promise<boolean> {
    this.hooks.push(`${group}/${hook.name}`);
    return true;
  }

  async completeLifecycleAction(a: { group: string; hook: string; token: string; result: string }): Promise<boolean> {
    this.completed.push(`${a.group}/${a.hook} ${a.token} ${a.result}`);
    return true;
  }
}
