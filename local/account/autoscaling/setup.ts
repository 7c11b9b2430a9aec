import type { SetupSection, TimelineKind } from "../shared/service.js";
import type { AutoScalingWorld, CreateGroup } from "./world.js";

/**
 * The Auto Scaling part of the account setup: groups whose instances are running and InService from the start.
 *
 *   "autoScaling": { "groups": [{ "name": "orders-asg", "launchTemplate": "orders-web", "desiredCapacity": 2,
 *                                 "minSize": 1, "maxSize": 4, "tags": { "app": "orders" } }] }
 *
 * `tags` are propagated at launch; the launch template must be one of `ec2.launchTemplates`.
 */
export function autoScalingSetup(world: AutoScalingWorld): SetupSection {
  return {
    keys: ["autoScaling"],
    parse(setup, c) {
      if (setup.autoScaling === undefined) return () => undefined;
      const o = c.object(setup.autoScaling, "account.autoScaling", ["groups"]);
      const groups = c.array(o?.groups, "account.autoScaling.groups").flatMap((raw, k): CreateGroup[] => {
        const f = `account.autoScaling.groups[${k}]`;
        const g = c.object(raw, f, ["name", "launchTemplate", "desiredCapacity", "minSize", "maxSize", "tags"]);
        if (!g) return [];
        const name = c.string(g, "name", f, { required: true });
        const template = c.string(g, "launchTemplate", f, { required: true });
        const desiredCapacity = c.number(g, "desiredCapacity", f, { required: true, integer: true, min: 0 }) ?? 0;
        const minSize = c.number(g, "minSize", f, { integer: true, min: 0 }) ?? Math.min(1, desiredCapacity);
        const maxSize = c.number(g, "maxSize", f, { integer: true, min: 0 }) ?? Math.max(desiredCapacity, minSize);
        const tags = c.object(g.tags ?? {}, `${f}.tags`, Object.keys((g.tags as object) ?? {})) ?? {};
        for (const [key, v] of Object.entries(tags)) if (typeof v !== "string") c.fail(`${f}.tags.${key}`, "must be a string");
        if (!name || !template) return [];
        return [{ name, launchTemplate: { name: template }, desiredCapacity, minSize, maxSize, tags: Object.entries(tags).map(([key, value]) => ({ key, value: String(value), propagateAtLaunch: true })) }];
      });
      return () => {
        for (const g of groups) world.create(g, { running: true });
      };
    },
  };
}

/**
 * The Auto Scaling timeline entry: `{"atSeconds": 60, "autoScaling": "orders-asg", "desiredCapacity": 3}` sets the
 * group's desired capacity (UpdateAutoScalingGroup), so it launches (scale-out) or terminates its newest instances
 * (scale-in) at that second.
 */
export function autoScalingTimeline(world: AutoScalingWorld): Record<string, TimelineKind> {
  return {
    autoScaling: {
      keys: ["desiredCapacity"],
      parse(o, f, c, atSeconds) {
        const group = c.string(o, "autoScaling", f, { required: true });
        const desiredCapacity = c.number(o, "desiredCapacity", f, { required: true, integer: true, min: 0 });
        if (!group || desiredCapacity === undefined) return undefined;
        return { atSeconds, autoScaling: group, desiredCapacity };
      },
      apply(entry) {
        const group = world.update(String(entry.autoScaling), { desiredCapacity: Number(entry.desiredCapacity) });
        return `Auto Scaling group ${group.name}: desired capacity ${group.desiredCapacity} (${group.instances.length} instances)`;
      },
    },
  };
}
