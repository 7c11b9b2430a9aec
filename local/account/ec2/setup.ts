import type { Json } from "../shared/checker.js";
import type { SetupSection, TimelineKind } from "../shared/service.js";
import type { Ec2World } from "./world.js";

/**
 * The EC2 part of the account setup: launch templates (what an Auto Scaling group launches from, and how the instances
 * launched from one answer SSM commands: the SSM setup's `behaviour`). Instances: every `i-` node of `ssm.instances`
 * is a running EC2 instance with its tags.
 *
 *   "ec2": { "launchTemplates": [{ "name": "orders-web", "behaviour": { "fail": { "event": "ValidateService", "bundleKey": "orders/v2.zip" } } }] }
 */
export function ec2Setup(world: Ec2World): SetupSection {
  return {
    keys: ["ec2"],
    parse(setup, c) {
      if (setup.ec2 === undefined) return () => undefined;
      const o = c.object(setup.ec2, "account.ec2", ["launchTemplates"]);
      const templates = c.array(o?.launchTemplates, "account.ec2.launchTemplates").flatMap((raw, k) => {
        const f = `account.ec2.launchTemplates[${k}]`;
        const t = c.object(raw, f, ["name", "imageId", "instanceType", "behaviour"]);
        const name = t && c.string(t, "name", f, { required: true });
        if (name && !/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) c.fail(`${f}.name`, "must be 3-128 of a-z A-Z 0-9 ( ) . - / _ (CreateLaunchTemplate's LaunchTemplateName)");
        if (t?.behaviour !== undefined && (typeof t.behaviour !== "object" || t.behaviour === null)) c.fail(`${f}.behaviour`, "must be an object (the SSM setup's instance behaviour)");
        return t && name ? [{ name, imageId: c.string(t, "imageId", f), instanceType: c.string(t, "instanceType", f), behaviour: t.behaviour as Record<string, never> | undefined }] : [];
      });
      return () => {
        for (const t of templates) world.addLaunchTemplate(t);
      };
    },
  };
}

/**
 * The EC2 timeline entry: `{"atSeconds": 5, "launchTemplate": "orders-web", "behaviour": {"fail": {"event": "ApplicationStart"}}}`
 * stands for a new version of the launch template (a new AMI, say): instances launched from it from then on answer
 * SSM commands with that behaviour; instances already running keep theirs.
 */
export function ec2Timeline(world: Ec2World): Record<string, TimelineKind> {
  return {
    launchTemplate: {
      keys: ["behaviour"],
      parse(o, f, c, atSeconds) {
        const name = c.string(o, "launchTemplate", f, { required: true });
        const behaviour = (o as Record<string, unknown>).behaviour;
        if (typeof behaviour !== "object" || behaviour === null || Array.isArray(behaviour)) c.fail(`${f}.behaviour`, "must be an object (the SSM setup's instance behaviour)");
        if (!name) return undefined;
        return { atSeconds, launchTemplate: name, behaviour: behaviour as Json };
      },
      apply(entry) {
        const template = world.launchTemplates.get(String(entry.launchTemplate));
        if (!template) throw new Error(`timeline: launch template ${String(entry.launchTemplate)} does not exist`);
        template.behaviour = entry.behaviour as never;
        return `launch template ${template.name}: new version, its launches behave ${JSON.stringify(entry.behaviour)}`;
      },
    },
  };
}
