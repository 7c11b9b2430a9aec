import type { TimelineKind } from "../shared/service.js";
import { TASK_BEHAVIOURS, type TaskBehaviour } from "./model.js";
import type { EcsWorld } from "./world.js";

/**
 * ECS's timeline entries:
 *   {atSeconds, taskDefinition: "web:2", tasks: "unhealthy"}     the revision's tasks fail health checks from then on
 *   {atSeconds, taskDefinition: "web", tasks: "fail-to-start"}   every revision of the family (also ones registered later)
 *   {atSeconds, taskDefinition: "web", tasks: "fail-to-start", newRevisionsOnly: true}   only revisions registered from then on (a bad image pushed)
 * `fail-to-start` tasks never reach RUNNING (their task set never stabilises); `healthy` lets them start.
 */
export function ecsTimeline(world: EcsWorld): Record<string, TimelineKind> {
  return {
    taskDefinition: {
      keys: ["tasks", "newRevisionsOnly"],
      parse(o, f, c, atSeconds) {
        const ref = c.string(o, "taskDefinition", f, { required: true });
        const tasks = c.string(o, "tasks", f, { required: true, oneOf: TASK_BEHAVIOURS }) as TaskBehaviour | undefined;
        const known = ref && (ref.includes(":") ? world.taskDefinitions.find(ref) !== undefined : world.taskDefinitions.hasFamily(ref));
        if (ref && !known) c.fail(`${f}.taskDefinition`, `no task definition ${ref} in the account (family or family:revision)`);
        const newOnly = o.newRevisionsOnly;
        if (newOnly !== undefined && typeof newOnly !== "boolean") c.fail(`${f}.newRevisionsOnly`, "must be true or false");
        if (newOnly === true && ref?.includes(":")) c.fail(`${f}.newRevisionsOnly`, "needs a family (revisions registered later), not family:revision");
        return ref && tasks ? { atSeconds, taskDefinition: ref, tasks, ...(newOnly === true && { newRevisionsOnly: true }) } : undefined;
      },
      apply(entry) {
        const ref = entry.taskDefinition as string;
        const tasks = entry.tasks as TaskBehaviour;
        if (entry.newRevisionsOnly === true) {
          world.taskDefinitions.setFamilyDefault(ref, entry.atSeconds, tasks);
          return `task definition ${ref}: tasks ${tasks} for revisions registered from now on`;
        }
        const tds = ref.includes(":") ? [world.taskDefinitions.find(ref)].flatMap((t) => (t ? [t] : [])) : world.taskDefinitions.all().filter((t) => t.family === ref);
        if (ref.includes(":")) for (const td of tds) world.taskDefinitions.setBehaviour(td, entry.atSeconds, tasks);
        else world.taskDefinitions.setFamilyBehaviour(ref, entry.atSeconds, tasks);
        if (tasks !== "fail-to-start") for (const td of tds) world.resumeStarts(td, entry.atSeconds);
        return `task definition ${ref}: tasks ${tasks}`;
      },
    },
  };
}
