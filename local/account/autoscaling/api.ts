import { type QueryParams, type QueryProtocol, type QueryValue, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { AutoScalingGroup } from "./model.js";
import { asgError, type AutoScalingWorld } from "./world.js";

/**
 * Amazon EC2 Auto Scaling over the query protocol as @aws-sdk/client-auto-scaling speaks it (`AwsQueryProtocol`,
 * version 2011-01-01, XML namespace `http://autoscaling.amazonaws.com/doc/2011-01-01/`): the calls a blue/green
 * deployment that copies a group makes, and the launch lifecycle hook stepdeploy puts on a deployment group's groups
 * (PutLifecycleHook, DescribeLifecycleHooks, CompleteLifecycleAction, RecordLifecycleActionHeartbeat).
 */
export const AUTOSCALING_PROTOCOL: QueryProtocol = { version: "2011-01-01", xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/" };

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const obj = (v: QueryValue | undefined): Record<string, QueryValue> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});

function int(p: QueryParams, name: string, member: string, required: boolean): number | undefined {
  const v = str(p[name]);
  if (v === undefined) {
    if (required) throw asgError("ValidationError", `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw asgError("ValidationError", `1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  return n;
}

function groupName(p: QueryParams): string {
  const name = str(p.AutoScalingGroupName);
  if (!name) throw asgError("ValidationError", "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null");
  if (name.length > 255) throw asgError("ValidationError", "1 validation error detected: Value at 'autoScalingGroupName' failed to satisfy constraint: Member must have length less than or equal to 255");
  return name;
}

export class AutoScalingApi extends QueryApi {
  readonly service = "AutoScaling";
  protected readonly protocol = AUTOSCALING_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    DescribeAutoScalingGroups: (p) => this.describeGroups(p),
    CreateAutoScalingGroup: (p) => this.createGroup(p),
    UpdateAutoScalingGroup: (p) => this.updateGroup(p),
    DeleteAutoScalingGroup: (p) => this.deleteGroup(p),
    PutLifecycleHook: (p) => this.putHook(p),
    DescribeLifecycleHooks: (p) => this.describeHooks(p),
    CompleteLifecycleAction: (p) => this.complete(p, false),
    RecordLifecycleActionHeartbeat: (p) => this.complete(p, true),
  };

  constructor(
    private readonly world: AutoScalingWorld,
    requestId: () => string,
  ) {
    super(requestId);
  }


  /** Names (at most 100 per call), MaxRecords 1-100 (default 50) and NextToken. */
  private describeGroups(p: QueryParams): Handled {
    const names = list(p.AutoScalingGroupNames).filter((x): x is string => typeof x === "string");
    if (names.length > 100) throw asgError("ValidationError", "The number of group names cannot exceed 100");
    const max = int(p, "MaxRecords", "maxRecords", false) ?? 50;
    if (max < 1 || max > 100) throw asgError("ValidationError", `1 validation error detected: Value '${max}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100`);
    const all = this.world.describe(names);
    const start = str(p.NextToken) === undefined ? 0 : Number(p.NextToken);
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw asgError("InvalidNextToken", "The token is invalid.");
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? String(start + max) : undefined;
    return this.ok("DescribeAutoScalingGroups", { AutoScalingGroups: page.map((g) => this.group(g)), NextToken: next }, page.map((g) => `${g.name} ${g.instances.length}/${g.desiredCapacity}`).join(", ") || "no groups");
  }

  /** From a launch template (LaunchTemplateName or LaunchTemplateId, Version); a launch configuration is not modelled. */
  private createGroup(p: QueryParams): Handled {
    const name = groupName(p);
    const lt = obj(p.LaunchTemplate);
    if (str(p.LaunchConfigurationName)) throw asgError("ValidationError", "Launch configurations are not modelled by the simulated account: use LaunchTemplate");
    if (!str(lt.LaunchTemplateName) && !str(lt.LaunchTemplateId)) throw asgError("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.");
    const tags = list(p.Tags).map((t) => {
      const o = obj(t);
      return { key: str(o.Key) ?? "", value: str(o.Value) ?? "", propagateAtLaunch: o.PropagateAtLaunch === "true" };
    });
    const group = this.world.create({
      name,
      launchTemplate: { name: str(lt.LaunchTemplateName), id: str(lt.LaunchTemplateId), version: str(lt.Version) },
      minSize: int(p, "MinSize", "minSize", true) as number,
      maxSize: int(p, "MaxSize", "maxSize", true) as number,
      desiredCapacity: int(p, "DesiredCapacity", "desiredCapacity", false),
      tags,
      targetGroupArns: list(p.TargetGroupARNs).filter((x): x is string => typeof x === "string"),
    });
    return this.ok("CreateAutoScalingGroup", {}, `${group.name}: ${group.desiredCapacity} from ${group.launchTemplate.name}`);
  }

  private updateGroup(p: QueryParams): Handled {
    const group = this.world.update(groupName(p), { minSize: int(p, "MinSize", "minSize", false), maxSize: int(p, "MaxSize", "maxSize", false), desiredCapacity: int(p, "DesiredCapacity", "desiredCapacity", false) });
    return this.ok("UpdateAutoScalingGroup", {}, `${group.name}: ${group.minSize}-${group.maxSize}, desired ${group.desiredCapacity}`);
  }

  private deleteGroup(p: QueryParams): Handled {
    const name = groupName(p);
    this.world.delete(name, p.ForceDelete === "true");
    return this.ok("DeleteAutoScalingGroup", {}, `${name}${p.ForceDelete === "true" ? " (force)" : ""}`);
  }

  private hookName(p: QueryParams): string {
    const name = str(p.LifecycleHookName);
    if (!name) throw asgError("ValidationError", "1 validation error detected: Value null at 'lifecycleHookName' failed to satisfy constraint: Member must not be null");
    return name;
  }

  private putHook(p: QueryParams): Handled {
    const group = groupName(p);
    const hook = this.world.putHook(group, {
      name: this.hookName(p),
      transition: str(p.LifecycleTransition),
      heartbeatTimeoutSeconds: int(p, "HeartbeatTimeout", "heartbeatTimeout", false),
      defaultResult: str(p.DefaultResult),
      notificationMetadata: str(p.NotificationMetadata),
    });
    return this.ok("PutLifecycleHook", {}, `${group}/${hook.name}: ${hook.transition}, ${hook.heartbeatTimeoutSeconds} s, ${hook.defaultResult}`);
  }

  private describeHooks(p: QueryParams): Handled {
    const group = groupName(p);
    const names = list(p.LifecycleHookNames).filter((x): x is string => typeof x === "string");
    const hooks = [...(this.world.describe([group])[0]?.hooks.values() ?? [])].filter((h) => !names.length || names.includes(h.name));
    if (!this.world.groups.has(group)) throw asgError("ValidationError", `AutoScalingGroup name not found - AutoScalingGroup '${group}' not found`);
    const LifecycleHooks = hooks.map((h) => ({ LifecycleHookName: h.name, AutoScalingGroupName: group, LifecycleTransition: h.transition, HeartbeatTimeout: h.heartbeatTimeoutSeconds, GlobalTimeout: Math.min(100 * h.heartbeatTimeoutSeconds, 172800), DefaultResult: h.defaultResult, NotificationMetadata: h.notificationMetadata }));
    return this.ok("DescribeLifecycleHooks", { LifecycleHooks }, `${group}: ${hooks.map((h) => h.name).join(", ") || "no hooks"}`);
  }

  private complete(p: QueryParams, heartbeat: boolean): Handled {
    const req = { group: groupName(p), hook: this.hookName(p), result: str(p.LifecycleActionResult), token: str(p.LifecycleActionToken), instanceId: str(p.InstanceId), heartbeat };
    this.world.completeAction(req);
    const action = heartbeat ? "RecordLifecycleActionHeartbeat" : "CompleteLifecycleAction";
    return this.ok(action, {}, `${req.group}/${req.hook} ${req.instanceId ?? req.token}${heartbeat ? "" : ` ${req.result}`}`);
  }

  private group(g: AutoScalingGroup): Record<string, unknown> {
    return {
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: g.arn,
      LaunchTemplate: { LaunchTemplateId: g.launchTemplate.id, LaunchTemplateName: g.launchTemplate.name, Version: g.launchTemplate.version },
      MinSize: g.minSize,
      MaxSize: g.maxSize,
      DesiredCapacity: g.desiredCapacity,
      DefaultCooldown: 300,
      AvailabilityZones: ["us-east-1a"],
      HealthCheckType: "EC2",
      HealthCheckGracePeriod: 300,
      CreatedTime: new Date(g.createdAtMs),
      Instances: g.instances.map((id) => ({ InstanceId: id, AvailabilityZone: "us-east-1a", LifecycleState: this.world.stateOf(id), HealthStatus: "Healthy", LaunchTemplate: { LaunchTemplateId: g.launchTemplate.id, LaunchTemplateName: g.launchTemplate.name, Version: g.launchTemplate.version }, ProtectedFromScaleIn: false })),
      TargetGroupARNs: g.targetGroupArns,
      Tags: g.tags.map((t) => ({ ResourceId: g.name, ResourceType: "auto-scaling-group", Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch })),
      ...(g.deleting ? { Status: "Delete in progress" } : {}),
    };
  }
}
