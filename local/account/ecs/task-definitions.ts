import { ModeHistory } from "../elbv2/modes.js";
import { AwsError } from "../shared/protocol/errors.js";
import type { ContainerDefinition, TaskBehaviour, TaskDefinition } from "./model.js";

export const clientError = (message: string) => new AwsError("ClientException", message, { status: 400 });
export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message, { status: 400 });

/** RegisterTaskDefinition's `family`: up to 255 letters, numbers, underscores and hyphens (ECS API reference). */
const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * Task definitions by family and revision. A reference is a family (its latest ACTIVE revision), a
 * `family:revision` or a full ARN (ECS API reference, DescribeTaskDefinition `taskDefinition`; CreateTaskSet:
 * "If a revision isn't specified, the latest ACTIVE revision is used").
 */
export class TaskDefinitions {
  private readonly byFamily = new Map<string, TaskDefinition[]>();
  /** Behaviour given to a family's revisions registered later (timeline entries naming a family). */
  private readonly familyDefaults = new Map<string, { at: number; behaviour: TaskBehaviour }[]>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  arnOf(family: string, revision: number): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`;
  }

  register(body: Record<string, unknown>, behaviour?: TaskBehaviour): TaskDefinition {
    const family = body.family;
    if (typeof family !== "string" || !FAMILY.test(family)) throw clientError("Family contains invalid characters or is longer than 255 characters: letters (upper and lower case), numbers, hyphens and underscores are allowed.");
    const containers = body.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) throw clientError("Container list cannot be empty.");
    for (const c of containers as ContainerDefinition[]) {
      if (!c.name) throw clientError("Container.name should not be null or empty.");
      if (!c.image) throw clientError("Container.image should not be null or empty.");
    }
    const revisions = this.byFamily.get(family) ?? [];
    const revision = (revisions.at(-1)?.revision ?? 0) + 1;
    const at = this.now();
    const td: TaskDefinition = { family, revision, arn: this.arnOf(family, revision), status: "ACTIVE", body: { ...body }, registeredAtSeconds: at, app: new ModeHistory(), starts: [] };
    const inherited = behaviour ?? this.familyDefaults.get(family)?.at(-1)?.behaviour;
    if (inherited) this.setBehaviour(td, Number.NEGATIVE_INFINITY, inherited);
    revisions.push(td);
    this.byFamily.set(family, revisions);
    return td;
  }

  setBehaviour(td: TaskDefinition, at: number, behaviour: TaskBehaviour): void {
    td.app.set(at, behaviour === "unhealthy" ? "unhealthy" : "healthy");
    td.starts.push({ at, fails: behaviour === "fail-to-start" });
    td.starts.sort((a, b) => a.at - b.at);
  }

  /** The behaviour of every revision of a family from `at` on, and of revisions registered later. */
  setFamilyBehaviour(family: string, at: number, behaviour: TaskBehaviour): void {
    for (const td of this.byFamily.get(family) ?? []) this.setBehaviour(td, at, behaviour);
    this.setFamilyDefault(family, at, behaviour);
  }

  /** The behaviour of a family's revisions registered from `at` on (those registered before keep theirs). */
  setFamilyDefault(family: string, at: number, behaviour: TaskBehaviour): void {
    this.familyDefaults.set(family, [...(this.familyDefaults.get(family) ?? []), { at, behaviour }]);
  }

  /** Whether tasks launched at `t` fail to start. */
  failsToStart(td: TaskDefinition, t: number): boolean {
    let fails = false;
    for (const s of td.starts) if (s.at <= t) fails = s.fails;
    return fails;
  }

  /** The first second at or after `t` from which tasks start (undefined: not yet decided). */
  startsFrom(td: TaskDefinition, t: number): number | undefined {
    if (!this.failsToStart(td, t)) return t;
    return td.starts.find((s) => s.at > t && !s.fails)?.at;
  }

  hasFamily(family: string): boolean {
    return this.byFamily.has(family);
  }

  all(): TaskDefinition[] {
    return [...this.byFamily.values()].flat();
  }

  /** Resolves a family, `family:revision` or ARN; undefined when there is no such (ACTIVE, for a family) task definition. */
  find(ref: string): TaskDefinition | undefined {
    const arn = /^arn:aws[a-zA-Z-]*:ecs:([^:]+):(\d{12}):task-definition\/([a-zA-Z0-9_-]+):(\d+)$/.exec(ref);
    if (arn) {
      if (arn[1] !== this.region || arn[2] !== this.accountId) return undefined;
      return this.byFamily.get(arn[3] as string)?.find((t) => t.revision === Number(arn[4]));
    }
    const [family, revision, extra] = ref.split(":");
    if (extra !== undefined || !family) return undefined;
    const revisions = this.byFamily.get(family) ?? [];
    if (revision === undefined) return revisions.filter((t) => t.status === "ACTIVE").at(-1);
    return revisions.find((t) => String(t.revision) === revision);
  }

  /** DescribeTaskDefinition's answer for a reference that resolves to nothing (ClientException "Unable to describe task definition."). */
  describe(ref: string): TaskDefinition {
    const td = this.find(ref);
    if (!td) throw clientError("Unable to describe task definition.");
    return td;
  }
}
