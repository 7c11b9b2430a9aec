import type { SimClock } from "../../clock.js";
import type { Ec2World } from "../ec2/world.js";
import type { EmittedEvent } from "../shared/service.js";
import { AwsError } from "../shared/protocol/errors.js";
import type { AutoScalingGroup, GroupTag, LifecycleAction, LifecycleCompletion, LifecycleHook, LifecycleState } from "./model.js";

/** Auto Scaling's client errors are awsQuery codes, HTTP 400 (ValidationError, AlreadyExists, ResourceInUse). */
export const asgError = (code: string, message: string) => new AwsError(code, message, { status: 400 });

export interface CreateGroup {
  name: string;
  launchTemplate: { name?: string; id?: string; version?: string };
  minSize: number;
  maxSize: number;
  desiredCapacity?: number;
  tags?: GroupTag[];
  targetGroupArns?: string[];
}

/**
 * Auto Scaling groups over the simulated EC2: a group keeps `desiredCapacity` instances that are not terminating,
 * launching from its launch template (each launch is an EC2 instance tagged `aws:autoscaling:groupName` and its
 * propagated tags, and an SSM managed node) and terminating the newest when it has too many. A group instance is
 * Pending while EC2 says pending, InService once running, Terminating while shutting down; terminated ones leave the
 * group, and the next look replaces them. Rules and messages: the Amazon EC2 Auto Scaling API reference
 * (CreateAutoScalingGroup, UpdateAutoScalingGroup, DeleteAutoScalingGroup, "Common errors").
 */
export class AutoScalingWorld {
  readonly groups = new Map<string, AutoScalingGroup>();
  /** Instances launched (not by the setup) whose launch has not been announced yet: instance id -> group name. */
  private readonly launching = new Map<string, string>();
  /** Lifecycle actions in progress (instances in Pending:Wait or Terminating:Wait), by token. */
  readonly actions = new Map<string, LifecycleAction>();
  /** Every lifecycle action that ended, in order (CompleteLifecycleAction or the heartbeat timeout). */
  readonly completions: LifecycleCompletion[] = [];
  private tokens = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly ec2: () => Ec2World,
    private readonly region: string,
    private readonly accountId: string,
    private readonly emit: (e: EmittedEvent) => void = () => undefined,
  ) {
    clock.onAdvance(() => {
      this.announceLaunches();
      this.expireActions();
    });
  }

  /**
   * "EC2 Instance Launch Successful" (source aws.autoscaling, default bus) for each launched instance once it is
   * InService, dated when it became so; the detail and resources as the Amazon EC2 Auto Scaling event reference
   * ("Successful scaling events") shows them. An instance that went on to terminate in the same advance is announced
   * all the same (its launch did succeed); one terminated before it was running never is.
   */
  announceLaunches(): void {
    const ec2 = this.ec2();
    for (const [id, groupName] of [...this.launching]) {
      const instance = ec2.instance(id);
      if (!instance || this.clock.now() < instance.runningAtMs) continue;
      this.launching.delete(id);
      if (instance.terminateRequestedAtMs !== undefined && instance.terminateRequestedAtMs < instance.runningAtMs) continue;
      const group = this.groups.get(groupName);
      const hooks = [...(group?.hooks.values() ?? [])].filter((h) => h.transition === "autoscaling:EC2_INSTANCE_LAUNCHING");
      if (group && hooks.length) {
        for (const hook of hooks) this.waitFor(group, hook, id, instance.runningAtMs, "launch");
        continue;
      }
      this.launchSucceeded(groupName, id, instance.launchedAtMs, instance.runningAtMs);
    }
  }

  /**
   * A launch hook holds the instance in Pending:Wait (Amazon EC2 Auto Scaling User Guide, "How lifecycle hooks work":
   * Pending -> Pending:Wait -> Pending:Proceed -> InService), a termination hook a scale-in's instance in
   * Terminating:Wait (InService -> Terminating -> Terminating:Wait -> Terminating:Proceed -> Terminated; EC2 keeps it
   * running meanwhile); each sends "EC2 Instance-launch Lifecycle Action" or "EC2 Instance-terminate Lifecycle Action"
   * to EventBridge with the action's token (UG "Amazon EC2 Auto Scaling event reference", "Lifecycle action events":
   * Origin/Destination EC2 -> AutoScalingGroup for a launch, AutoScalingGroup -> EC2 for a scale-in): until
   * CompleteLifecycleAction, or the heartbeat timeout applies the hook's DefaultResult.
   */
  private waitFor(group: AutoScalingGroup, hook: LifecycleHook, instanceId: string, atMs: number, kind: "launch" | "terminate"): void {
    this.tokens += 1;
    const token = `${this.tokens.toString(16).padStart(8, "0")}-7a1e-4000-8000-00000000${instanceId.slice(-4)}`;
    this.actions.set(token, { group: group.name, hook: hook.name, transition: hook.transition, instanceId, token, deadlineMs: atMs + hook.heartbeatTimeoutSeconds * 1000 });
    this.emit({
      source: "aws.autoscaling",
      detailType: `EC2 Instance-${kind} Lifecycle Action`,
      atMs,
      resources: [group.arn],
      detail: {
        Origin: kind === "launch" ? "EC2" : "AutoScalingGroup",
        Destination: kind === "launch" ? "AutoScalingGroup" : "EC2",
        LifecycleActionToken: token,
        AutoScalingGroupName: group.name,
        LifecycleHookName: hook.name,
        EC2InstanceId: instanceId,
        LifecycleTransition: hook.transition,
        ...(hook.notificationMetadata ? { NotificationMetadata: hook.notificationMetadata } : {}),
      },
    });
  }

  /** The heartbeat timeout: an action nobody completed in time takes its hook's DefaultResult, dated at its deadline. */
  private expireActions(): void {
    for (const action of [...this.actions.values()]) {
      // An instance terminated while it waited (a scale-in) has no action left to time out.
      if (this.stateOf(action.instanceId) === "Terminating") this.actions.delete(action.token);
      if (this.clock.now() < action.deadlineMs || !this.actions.has(action.token)) continue;
      const hook = this.groups.get(action.group)?.hooks.get(action.hook);
      this.end(action, hook?.defaultResult ?? "ABANDON", "HeartbeatTimeout", action.deadlineMs);
    }
  }

  /**
   * CompleteLifecycleAction (by token or instance id) and RecordLifecycleActionHeartbeat (which restarts the heartbeat
   * timeout). Errors as the API reference and AWS return them: an unknown group or hook, a missing token and instance
   * id, a result other than CONTINUE/ABANDON are ValidationError; so is a token or instance with no active action
   * ("No active Lifecycle Action found with token ...", as AWS words it).
   */
  completeAction(req: { group: string; hook: string; result?: string; token?: string; instanceId?: string; heartbeat?: boolean }): void {
    const group = this.require(req.group);
    if (!group.hooks.has(req.hook)) throw asgError("ValidationError", `No Lifecycle Hook found with name ${req.hook} for AutoScalingGroup ${req.group}`);
    if (!req.heartbeat && req.result !== "CONTINUE" && req.result !== "ABANDON") throw asgError("ValidationError", `Invalid value for LifecycleActionResult: ${req.result ?? "null"} (CONTINUE or ABANDON)`);
    if (!req.token && !req.instanceId) throw asgError("ValidationError", "Either LifecycleActionToken or InstanceId must be specified");
    this.expireActions();
    const action = [...this.actions.values()].find((a) => a.group === req.group && a.hook === req.hook && (req.token ? a.token === req.token : a.instanceId === req.instanceId));
    if (!action || this.stateOf(action.instanceId) === "Terminating") throw asgError("ValidationError", req.token ? `No active Lifecycle Action found with token ${req.token}` : `No active Lifecycle Action found with instance ID ${req.instanceId}`);
    if (req.heartbeat) {
      action.deadlineMs = this.clock.now() + (group.hooks.get(req.hook)?.heartbeatTimeoutSeconds ?? 3600) * 1000;
      return;
    }
    this.end(action, req.result as "CONTINUE" | "ABANDON", "CompleteLifecycleAction", this.clock.now());
  }

  /**
   * A launch: CONTINUE, InService once no other hook holds it (then "EC2 Instance Launch Successful"); ABANDON,
   * terminated, and the group replaces it. A scale-in: either result terminates the instance (UG "Complete a lifecycle
   * action": for a termination hook CONTINUE and ABANDON both let it terminate, ABANDON skipping the other hooks), once
   * no other termination hook holds it.
   */
  private end(action: LifecycleAction, result: "CONTINUE" | "ABANDON", by: LifecycleCompletion["by"], atMs: number): void {
    this.actions.delete(action.token);
    this.completions.push({ group: action.group, hook: action.hook, transition: action.transition, instanceId: action.instanceId, result, by, atMs });
    const group = this.groups.get(action.group);
    if (action.transition === "autoscaling:EC2_INSTANCE_TERMINATING") {
      const others = [...this.actions.values()].filter((a) => a.instanceId === action.instanceId);
      if (result === "ABANDON") for (const other of others) this.actions.delete(other.token);
      if (result === "CONTINUE" && others.length) return;
      if (this.ec2().instance(action.instanceId) && this.ec2().stateOf(this.ec2().instance(action.instanceId)!) === "running") this.ec2().terminate([action.instanceId]);
      return;
    }
    if (result === "ABANDON") {
      for (const other of [...this.actions.values()].filter((a) => a.instanceId === action.instanceId)) this.actions.delete(other.token);
      if (this.stateOf(action.instanceId) !== "Terminating") this.ec2().terminate([action.instanceId]);
      if (group) this.reconcile(group);
      return;
    }
    if ([...this.actions.values()].some((a) => a.instanceId === action.instanceId)) return;
    const instance = this.ec2().instance(action.instanceId);
    if (instance && this.stateOf(action.instanceId) === "InService") this.launchSucceeded(action.group, action.instanceId, instance.launchedAtMs, atMs);
  }

  /** PutLifecycleHook: creates or updates a hook (the transition is required for a new one); at most 50 per group. */
  putHook(groupName: string, req: { name: string; transition?: string; heartbeatTimeoutSeconds?: number; defaultResult?: string; notificationMetadata?: string }): LifecycleHook {
    const group = this.require(groupName);
    if (!/^[A-Za-z0-9\-_/]{1,255}$/.test(req.name)) throw asgError("ValidationError", `1 validation error detected: Value '${req.name}' at 'lifecycleHookName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\-_\\/]+`);
    const existing = group.hooks.get(req.name);
    const transition = req.transition ?? existing?.transition;
    if (transition !== "autoscaling:EC2_INSTANCE_LAUNCHING" && transition !== "autoscaling:EC2_INSTANCE_TERMINATING") throw asgError("ValidationError", transition === undefined ? "LifecycleTransition is required when creating a lifecycle hook" : `Invalid Lifecycle Transition: ${transition}`);
    const heartbeat = req.heartbeatTimeoutSeconds ?? existing?.heartbeatTimeoutSeconds ?? 3600;
    if (heartbeat < 30 || heartbeat > 7200) throw asgError("ValidationError", `Heartbeat timeout of ${heartbeat} must be between 30 and 7200 seconds`);
    const defaultResult = req.defaultResult ?? existing?.defaultResult ?? "ABANDON";
    if (defaultResult !== "CONTINUE" && defaultResult !== "ABANDON") throw asgError("ValidationError", `Invalid value for DefaultResult: ${defaultResult} (CONTINUE or ABANDON)`);
    if (!existing && group.hooks.size >= 50) throw asgError("LimitExceeded", `Lifecycle hook limit of 50 reached for AutoScalingGroup ${groupName}`);
    const hook: LifecycleHook = { name: req.name, transition, heartbeatTimeoutSeconds: heartbeat, defaultResult, ...((req.notificationMetadata ?? existing?.notificationMetadata) ? { notificationMetadata: req.notificationMetadata ?? existing?.notificationMetadata } : {}) };
    group.hooks.set(req.name, hook);
    return hook;
  }

  /** "EC2 Instance Launch Successful" for an instance now InService, dated `atMs`. */
  private launchSucceeded(groupName: string, id: string, launchedAtMs: number, atMs: number): void {
    const group = this.groups.get(groupName);
    const time = (ms: number) => new Date(ms).toISOString();
    this.emit({
      source: "aws.autoscaling",
      detailType: "EC2 Instance Launch Successful",
      atMs,
      resources: [...(group ? [group.arn] : []), `arn:aws:ec2:${this.region}:${this.accountId}:instance/${id}`],
      detail: {
        StatusCode: "InProgress",
        Description: `Launching a new EC2 instance: ${id}`,
        AutoScalingGroupName: groupName,
        ActivityId: `${id.slice(2).padStart(8, "0").slice(-8)}-0000-4000-8000-000000000000`,
        Details: { "Availability Zone": "us-east-1a", "Subnet ID": "subnet-0sim" },
        RequestId: `${id.slice(2).padStart(8, "0").slice(-8)}-0000-4000-8000-000000000001`,
        StatusMessage: "",
        EndTime: time(atMs),
        EC2InstanceId: id,
        StartTime: time(launchedAtMs),
        Cause: `At ${time(launchedAtMs)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${Math.max(0, (group?.instances.length ?? 1) - 1)} to ${group?.instances.length ?? 1}.`,
      },
    });
  }

  create(req: CreateGroup, opts: { running?: boolean } = {}): AutoScalingGroup {
    if (this.groups.has(req.name)) throw asgError("AlreadyExists", `AutoScalingGroup by this name already exists - A group with the name ${req.name} already exists`);
    const ref = req.launchTemplate.name ?? req.launchTemplate.id;
    const template = [...this.ec2().launchTemplates.values()].find((t) => t.name === ref || t.id === ref);
    if (!template) throw asgError("ValidationError", `You must use a valid fully-formed launch template. The specified launch template, with template ${req.launchTemplate.name ? "name" : "ID"} ${ref}, does not exist.`);
    const desiredCapacity = req.desiredCapacity ?? req.minSize;
    checkBounds(req.minSize, req.maxSize, desiredCapacity);
    const group: AutoScalingGroup = {
      name: req.name,
      arn: `arn:aws:autoscaling:${this.region}:${this.accountId}:autoScalingGroup:${this.groups.size.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000:autoScalingGroupName/${req.name}`,
      launchTemplate: { name: template.name, id: template.id, version: req.launchTemplate.version ?? "$Default" },
      minSize: req.minSize,
      maxSize: req.maxSize,
      desiredCapacity,
      instances: [],
      tags: req.tags ?? [],
      targetGroupArns: req.targetGroupArns ?? [],
      createdAtMs: this.clock.now(),
      deleting: false,
      hooks: new Map(),
    };
    this.groups.set(req.name, group);
    this.reconcile(group, opts);
    return group;
  }

  update(name: string, change: { minSize?: number; maxSize?: number; desiredCapacity?: number }): AutoScalingGroup {
    const group = this.require(name);
    if (group.deleting) throw asgError("ScalingActivityInProgress", `AutoScalingGroup ${name} is being deleted.`);
    const minSize = change.minSize ?? group.minSize;
    const maxSize = change.maxSize ?? group.maxSize;
    // As AWS does: a new min above the desired capacity raises it, a new max below lowers it.
    const desiredCapacity = change.desiredCapacity ?? Math.min(maxSize, Math.max(minSize, group.desiredCapacity));
    checkBounds(minSize, maxSize, desiredCapacity);
    Object.assign(group, { minSize, maxSize, desiredCapacity });
    this.reconcile(group);
    return group;
  }

  /** Without ForceDelete a group with instances is ResourceInUse; with it, every instance terminates, then the group goes. */
  delete(name: string, forceDelete: boolean): void {
    const group = this.require(name);
    this.reconcile(group);
    if (group.instances.length && !forceDelete) throw asgError("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.");
    if (group.instances.length) this.ec2().terminate(group.instances.filter((id) => this.stateOf(id) !== "Terminating"));
    group.deleting = true;
    group.desiredCapacity = 0;
    group.minSize = 0;
    this.reconcile(group);
  }

  /** Groups by name (all without names; unknown names are left out, as DescribeAutoScalingGroups does). */
  describe(names: string[]): AutoScalingGroup[] {
    const groups = names.length ? names.flatMap((n) => this.groups.get(n) ?? []) : [...this.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const g of groups) this.reconcile(g);
    return groups.filter((g) => this.groups.has(g.name));
  }

  stateOf(instanceId: string): LifecycleState {
    const ec2 = this.ec2();
    const state = ec2.stateOf(ec2.instance(instanceId)!);
    if (state === "running" && this.launching.has(instanceId)) this.announceLaunches();
    const waiting = state === "running" ? [...this.actions.values()].find((a) => a.instanceId === instanceId) : undefined;
    if (waiting) return waiting.transition === "autoscaling:EC2_INSTANCE_TERMINATING" ? "Terminating:Wait" : "Pending:Wait";
    return state === "pending" ? "Pending" : state === "running" ? "InService" : "Terminating";
  }

  private require(name: string): AutoScalingGroup {
    const group = this.groups.get(name);
    if (!group) throw asgError("ValidationError", `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
    return group;
  }

  /**
   * A scale-in: an InService instance goes to Terminating:Wait under each of the group's termination hooks (EC2 keeps
   * it running, its SSM agent answers) and terminates when they are done; without a hook, or still launching (Pending,
   * Pending:Wait: its launch action is dropped), it terminates at once.
   */
  private scaleIn(group: AutoScalingGroup, ids: string[]): void {
    const hooks = [...group.hooks.values()].filter((h) => h.transition === "autoscaling:EC2_INSTANCE_TERMINATING");
    const now: string[] = [];
    for (const id of ids) {
      if (!hooks.length || this.stateOf(id) !== "InService") {
        now.push(id);
        continue;
      }
      for (const hook of hooks) this.waitFor(group, hook, id, this.clock.now(), "terminate");
    }
    if (now.length) this.ec2().terminate(now);
  }

  /** Drops terminated instances, launches or terminates to the desired capacity; a deleted group with no instance left goes. */
  private reconcile(group: AutoScalingGroup, opts: { running?: boolean } = {}): void {
    const ec2 = this.ec2();
    group.instances = group.instances.filter((id) => ec2.stateOf(ec2.instance(id)!) !== "terminated");
    const alive = group.instances.filter((id) => !this.stateOf(id).startsWith("Terminating"));
    const template = ec2.launchTemplates.get(group.launchTemplate.name)!;
    const tags = { ...Object.fromEntries(group.tags.filter((t) => t.propagateAtLaunch).map((t) => [t.key, t.value])), "aws:autoscaling:groupName": group.name };
    for (let k = alive.length; k < group.desiredCapacity; k++) {
      const id = ec2.launch(template, tags, opts).id;
      group.instances.push(id);
      if (!opts.running) this.launching.set(id, group.name);
    }
    if (alive.length > group.desiredCapacity) this.scaleIn(group, alive.slice(group.desiredCapacity));
    if (group.deleting && group.instances.length === 0) this.groups.delete(group.name);
  }
}

/** CreateAutoScalingGroup/UpdateAutoScalingGroup's bounds (ValidationError, with AWS's messages). */
function checkBounds(min: number, max: number, desired: number): void {
  if (max < min) throw asgError("ValidationError", `Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) throw asgError("ValidationError", `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
}
