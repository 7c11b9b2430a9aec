import { createHash } from "node:crypto";
import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import { checkCapabilities, parseTemplate, physicalId, resolveOutputs, resolveParameters, type Template, validationError } from "./template.js";

/**
 * The simulated CloudFormation: stacks and change sets whose operations unfold on the SimClock. An
 * operation is planned when it starts (every stack and resource event with its simulated second,
 * one resource after another, `secondsPerResource` each); what DescribeStacks, DescribeStackEvents
 * and DescribeChangeSet answer is what has happened by now. Statuses and texts follow the
 * CloudFormation API reference and user guide ("Stack status codes", "Stack failure options",
 * CreateStack, UpdateStack, DeleteStack, CreateChangeSet, ExecuteChangeSet, DeleteChangeSet);
 * wordings not quoted from AWS are marked as ours.
 */
export const DEFAULT_SECONDS_PER_RESOURCE = 5;
/** Seconds from CreateChangeSet to CREATE_COMPLETE (or FAILED): CloudFormation computes change sets asynchronously. */
export const CHANGE_SET_SECONDS = 2;
/** DescribeChangeSet's StatusReason for an update that changes nothing (CloudFormation user guide, "Update stacks using change sets"). */
export const NO_CHANGES_REASON = "The submitted information didn't contain changes. Submit different information to create a change set.";

export interface StackEvent {
  atSeconds: number;
  eventId: string;
  logicalResourceId: string;
  physicalResourceId: string;
  resourceType: string;
  resourceStatus: string;
  resourceStatusReason?: string;
  /** The ClientRequestToken of the operation that made the event ("All events initiated by a given stack operation are assigned the same client request token"). */
  clientRequestToken?: string;
}

export interface StackConfig {
  template: Template;
  parameters: Record<string, string>;
  capabilities: string[];
  roleArn?: string;
}

export interface Output {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface Stack {
  name: string;
  stackId: string;
  createdAt: number;
  lastUpdatedAt?: number;
  /** Every event, future ones included (planned when the operation started). */
  events: StackEvent[];
  /** What the stack runs from the given second on (undefined: nothing yet, or deleted). */
  configs: { atSeconds: number; config?: StackConfig; outputs: Output[] }[];
  changeSets: ChangeSet[];
  /** The ClientRequestTokens of the operations started on this stack (CreateStack, UpdateStack, DeleteStack, ExecuteChangeSet). */
  tokens: { token: string; operation: TokenedOperation }[];
}

export type TokenedOperation = "CreateStack" | "UpdateStack" | "DeleteStack" | "ExecuteChangeSet";

export interface ChangeSet {
  name: string;
  id: string;
  stack: Stack;
  type: "CREATE" | "UPDATE";
  config: StackConfig;
  createdAt: number;
  changes: { action: "Add" | "Modify" | "Remove"; logicalId: string; type: string }[];
  executedAt?: number;
}

export interface StackRequest {
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  usePreviousTemplate?: boolean;
  parameters: { key: string; value?: string; usePrevious?: boolean }[];
  capabilities: string[];
  roleArn?: string;
  clientRequestToken?: string;
}

const UPDATABLE = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"]);
const NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const STACK_TYPE = "AWS::CloudFormation::Stack";

export class CloudFormationWorld {
  readonly stacks: Stack[] = [];
  secondsPerResource = DEFAULT_SECONDS_PER_RESOURCE;
  private counter = 0;
  /** The token of the operation being planned: its events carry it. */
  private token: string | undefined;
  /** Where TemplateURL objects are read (the simulator's S3); none: every TemplateURL is refused. */
  private objects: ((bucket: string, key: string) => Uint8Array | undefined) | undefined;

  constructor(
    private readonly clock: SimClock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  now(): number {
    return this.clock.elapsedSeconds();
  }

  private uuid(): string {
    this.counter += 1;
    const h = createHash("sha256").update(`${this.accountId}/${this.region}/cfn/${this.counter}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  // ---- what has happened by now ----------------------------------------------------------------

  status(stack: Stack, at = this.now()): { status: string; reason?: string } {
    const last = stack.events.filter((e) => e.atSeconds <= at && e.resourceType === STACK_TYPE && e.logicalResourceId === stack.name).at(-1);
    return { status: last?.resourceStatus ?? "CREATE_IN_PROGRESS", ...(last?.resourceStatusReason && { reason: last.resourceStatusReason }) };
  }

  current(stack: Stack, at = this.now()): Stack["configs"][number] | undefined {
    return stack.configs.filter((c) => c.atSeconds <= at).at(-1);
  }

  eventsSoFar(stack: Stack, at = this.now()): StackEvent[] {
    return stack.events.filter((e) => e.atSeconds <= at);
  }

  /** The live stack of that name (not DELETE_COMPLETE), or by stack id any stack. */
  find(nameOrId: string): Stack | undefined {
    if (nameOrId.startsWith("arn:")) return this.stacks.find((s) => s.stackId === nameOrId);
    return this.stacks.filter((s) => s.name === nameOrId && this.status(s).status !== "DELETE_COMPLETE").at(-1);
  }

  /** DescribeStacks/DescribeStackEvents: "Stack with id <name> does not exist" (ValidationError). */
  get(nameOrId: string): Stack {
    const s = this.find(nameOrId);
    if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
    return s;
  }

  /** Where TemplateURL objects are read from (the simulator attaches its S3). */
  attachObjectReader(read: (bucket: string, key: string) => Uint8Array | undefined): void {
    this.objects = read;
  }

  /**
   * A TemplateURL's template: an S3 object URL (virtual-hosted `https://<bucket>.s3[.<region>].amazonaws.com/<key>`
   * or path-style `https://s3[.<region>].amazonaws.com/<bucket>/<key>`, a presigned query ignored); anything
   * else, or an object that cannot be read: "TemplateURL must reference a valid S3 object to which you
   * have access." (CloudFormation's ValidationError as users report it).
   */
  private templateAt(url: string): string {
    const refused = validationError("TemplateURL must reference a valid S3 object to which you have access.");
    const at = s3Location(url);
    const body = at && this.objects?.(at.bucket, at.key);
    if (!body) throw refused;
    return new TextDecoder().decode(body);
  }

  // ---- stack operations ----------------------------------------------------------------------

  private config(req: StackRequest, previous?: StackConfig): StackConfig {
    if (req.usePreviousTemplate && !previous) throw validationError("UsePreviousTemplate can only be used on an existing stack"); // our wording
    if (!req.usePreviousTemplate && req.templateBody === undefined && req.templateUrl === undefined) throw validationError("Either Template URL or Template Body must be specified.");
    if (req.templateBody !== undefined && req.templateUrl !== undefined) throw validationError("Specify exactly one of TemplateBody or TemplateUrl."); // our wording
    const template = req.usePreviousTemplate && previous ? previous.template : req.templateUrl !== undefined ? parseTemplate(this.templateAt(req.templateUrl), "url") : parseTemplate(req.templateBody as string);
    const given = Object.fromEntries(req.parameters.filter((p) => !p.usePrevious && p.value !== undefined).map((p) => [p.key, p.value as string]));
    const parameters = resolveParameters(template, given, previous?.parameters, req.parameters.filter((p) => p.usePrevious).map((p) => p.key));
    checkCapabilities(template, req.capabilities);
    return { template, parameters, capabilities: req.capabilities, ...(req.roleArn && { roleArn: req.roleArn }) };
  }

  /**
   * The stack on which an operation with this ClientRequestToken was already started: a retried request
   * ("Specify this token if you plan to retry requests so that CloudFormation knows that you're not
   * attempting to create a stack with the same name", API reference, CreateStack; the same for UpdateStack,
   * DeleteStack and ExecuteChangeSet) is answered as the first one was, and starts nothing.
   */
  private retried(token: string | undefined, operation: TokenedOperation, stackName: string | undefined): Stack | undefined {
    if (!token) return undefined;
    return this.stacks.find((s) => (stackName === undefined || s.name === stackName || s.stackId === stackName) && s.tokens.some((t) => t.token === token && t.operation === operation));
  }

  /** Runs `plan` with its events carrying `token`, and records the token on the stack. */
  private withToken<T>(stack: Stack, token: string | undefined, operation: TokenedOperation, plan: () => T): T {
    this.token = token;
    try {
      if (token) stack.tokens.push({ token, operation });
      return plan();
    } finally {
      this.token = undefined;
    }
  }

  createStack(req: StackRequest, opts: { settled?: boolean } = {}): Stack {
    if (!NAME.test(req.stackName)) throw validationError(`1 validation error detected: Value '${req.stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    const again = this.retried(req.clientRequestToken, "CreateStack", req.stackName);
    if (again) return again;
    if (this.find(req.stackName)) throw new AwsError("AlreadyExistsException", `Stack [${req.stackName}] already exists`, { status: 400 });
    const config = this.config(req);
    const stack = this.newStack(req.stackName);
    this.withToken(stack, req.clientRequestToken, "CreateStack", () => this.runCreate(stack, config, opts.settled ? this.now() - 3600 : this.now()));
    return stack;
  }

  private newStack(name: string): Stack {
    const stack: Stack = { name, stackId: `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${name}/${this.uuid()}`, createdAt: this.now(), events: [], configs: [], changeSets: [], tokens: [] };
    this.stacks.push(stack);
    return stack;
  }

  private event(stack: Stack, atSeconds: number, logicalId: string, type: string, status: string, reason?: string): void {
    const isStack = type === STACK_TYPE && logicalId === stack.name;
    stack.events.push({
      atSeconds,
      eventId: isStack ? this.uuid() : `${logicalId}-${status}-${atSeconds}`,
      logicalResourceId: logicalId,
      physicalResourceId: isStack ? stack.stackId : physicalId(stack.name, logicalId),
      resourceType: type,
      resourceStatus: status,
      ...(reason && { resourceStatusReason: reason }),
      ...(this.token && { clientRequestToken: this.token }),
    });
  }

  private outputs(stack: Stack, config: StackConfig): Output[] {
    return resolveOutputs(config.template, { stackName: stack.name, stackId: stack.stackId, region: this.region, accountId: this.accountId, parameters: config.parameters });
  }

  /**
   * CREATE_IN_PROGRESS, each resource CREATE_IN_PROGRESS/CREATE_COMPLETE, CREATE_COMPLETE. A resource
   * that fails: CREATE_FAILED with its reason, ROLLBACK_IN_PROGRESS ("The following resource(s) failed
   * to create: [X]. Rollback requested by user."), the created resources deleted in reverse order,
   * ROLLBACK_COMPLETE (user guide, "Stack status codes"); the stack keeps no outputs.
   */
  private runCreate(stack: Stack, config: StackConfig, t0: number): void {
    const s = this.secondsPerResource;
    const stackEvent = (at: number, status: string, reason?: string) => this.event(stack, at, stack.name, STACK_TYPE, status, reason);
    stackEvent(t0, "CREATE_IN_PROGRESS", "User Initiated");
    let t = t0;
    const done: Template["resources"] = [];
    for (const r of config.template.resources) {
      this.event(stack, t, r.logicalId, r.type, "CREATE_IN_PROGRESS");
      t += s;
      if (r.fail !== undefined) {
        this.event(stack, t, r.logicalId, r.type, "CREATE_FAILED", r.fail);
        stackEvent(t, "ROLLBACK_IN_PROGRESS", `The following resource(s) failed to create: [${r.logicalId}]. Rollback requested by user.`);
        for (const d of [...done].reverse()) {
          this.event(stack, t, d.logicalId, d.type, "DELETE_IN_PROGRESS");
          t += s;
          this.event(stack, t, d.logicalId, d.type, "DELETE_COMPLETE");
        }
        this.event(stack, t, r.logicalId, r.type, "DELETE_COMPLETE");
        stackEvent(t, "ROLLBACK_COMPLETE");
        stack.configs.push({ atSeconds: t0, config, outputs: [] });
        return;
      }
      this.event(stack, t, r.logicalId, r.type, "CREATE_COMPLETE");
      done.push(r);
    }
    stackEvent(t, "CREATE_COMPLETE");
    stack.configs.push({ atSeconds: t0, config, outputs: [] }, { atSeconds: t, config, outputs: this.outputs(stack, config) });
  }

  private inProgress(stack: Stack, what: string): void {
    const { status } = this.status(stack);
    if (status.endsWith("_IN_PROGRESS") && status !== "REVIEW_IN_PROGRESS") throw validationError(`Stack:${stack.stackId} is in ${status} state and can not be ${what}.`);
  }

  /** UpdateStack: refused while an operation runs or in a state that cannot be updated; "No updates are to be performed." when nothing changes. */
  updateStack(req: StackRequest): Stack {
    const again = this.retried(req.clientRequestToken, "UpdateStack", req.stackName);
    if (again) return again;
    const stack = this.find(req.stackName);
    if (!stack) throw validationError(`Stack [${req.stackName}] does not exist`);
    this.inProgress(stack, "updated");
    const { status } = this.status(stack);
    if (!UPDATABLE.has(status)) throw validationError(`Stack:${stack.stackId} is in ${status} state and can not be updated.`);
    const previous = this.current(stack)?.config as StackConfig;
    const config = this.config(req, previous);
    const changes = diff(previous, config);
    if (changes === undefined) throw validationError("No updates are to be performed.");
    this.withToken(stack, req.clientRequestToken, "UpdateStack", () => this.runUpdate(stack, config, changes, this.now()));
    return stack;
  }

  /**
   * UPDATE_IN_PROGRESS, the added and modified resources, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (removed
   * resources deleted), UPDATE_COMPLETE. A resource that fails: UPDATE_FAILED (CREATE_FAILED when
   * added), UPDATE_ROLLBACK_IN_PROGRESS ("The following resource(s) failed to update: [X]."), the
   * touched resources back, UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, UPDATE_ROLLBACK_COMPLETE:
   * the stack keeps its previous template, parameters and outputs.
   */
  private runUpdate(stack: Stack, config: StackConfig, changes: ChangeSet["changes"], t0: number): void {
    const s = this.secondsPerResource;
    const stackEvent = (at: number, status: string, reason?: string) => this.event(stack, at, stack.name, STACK_TYPE, status, reason);
    stack.lastUpdatedAt = t0;
    stackEvent(t0, "UPDATE_IN_PROGRESS", "User Initiated");
    let t = t0;
    const touched: ChangeSet["changes"] = [];
    for (const c of changes.filter((x) => x.action !== "Remove")) {
      const r = config.template.resources.find((x) => x.logicalId === c.logicalId);
      const verb = c.action === "Add" ? "CREATE" : "UPDATE";
      this.event(stack, t, c.logicalId, c.type, `${verb}_IN_PROGRESS`);
      t += s;
      if (r?.fail !== undefined) {
        this.event(stack, t, c.logicalId, c.type, `${verb}_FAILED`, r.fail);
        stackEvent(t, "UPDATE_ROLLBACK_IN_PROGRESS", `The following resource(s) failed to ${verb.toLowerCase()}: [${c.logicalId}].`);
        for (const d of [...touched].reverse()) {
          const back = d.action === "Add" ? "DELETE" : "UPDATE";
          this.event(stack, t, d.logicalId, d.type, `${back}_IN_PROGRESS`);
          t += s;
          this.event(stack, t, d.logicalId, d.type, `${back}_COMPLETE`);
        }
        stackEvent(t, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        if (c.action === "Add") this.event(stack, t, c.logicalId, c.type, "DELETE_COMPLETE");
        stackEvent(t, "UPDATE_ROLLBACK_COMPLETE");
        return;
      }
      this.event(stack, t, c.logicalId, c.type, `${verb}_COMPLETE`);
      touched.push(c);
    }
    if (touched.length === 0) t += s;
    stackEvent(t, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    for (const c of changes.filter((x) => x.action === "Remove")) {
      this.event(stack, t, c.logicalId, c.type, "DELETE_IN_PROGRESS");
      t += s;
      this.event(stack, t, c.logicalId, c.type, "DELETE_COMPLETE");
    }
    stackEvent(t, "UPDATE_COMPLETE");
    stack.configs.push({ atSeconds: t, config, outputs: this.outputs(stack, config) });
  }

  /** DeleteStack: a stack that does not exist is not an error (DeleteStack succeeds without doing anything). */
  deleteStack(nameOrId: string, clientRequestToken?: string): void {
    if (this.retried(clientRequestToken, "DeleteStack", nameOrId)) return;
    const stack = this.find(nameOrId);
    if (!stack) return;
    const { status } = this.status(stack);
    if (status === "DELETE_IN_PROGRESS") return;
    this.inProgress(stack, "deleted"); // our wording
    this.withToken(stack, clientRequestToken, "DeleteStack", () => this.runDelete(stack, status));
  }

  private runDelete(stack: Stack, status: string): void {
    const t0 = this.now();
    const s = this.secondsPerResource;
    this.event(stack, t0, stack.name, STACK_TYPE, "DELETE_IN_PROGRESS", "User Initiated");
    let t = t0;
    const cfg = this.current(stack)?.config;
    const alive = status === "ROLLBACK_COMPLETE" || status === "REVIEW_IN_PROGRESS" ? [] : (cfg?.template.resources ?? []);
    for (const r of [...alive].reverse()) {
      this.event(stack, t, r.logicalId, r.type, "DELETE_IN_PROGRESS");
      t += s;
      this.event(stack, t, r.logicalId, r.type, "DELETE_COMPLETE");
    }
    if (alive.length === 0) t += 1;
    this.event(stack, t, stack.name, STACK_TYPE, "DELETE_COMPLETE");
    stack.configs.push({ atSeconds: t, outputs: [] });
    stack.changeSets = [];
  }

  // ---- change sets ---------------------------------------------------------------------------

  changeSetStatus(cs: ChangeSet, at = this.now()): { status: string; executionStatus: string; reason?: string } {
    if (at < cs.createdAt + CHANGE_SET_SECONDS) return { status: at < cs.createdAt + 1 ? "CREATE_PENDING" : "CREATE_IN_PROGRESS", executionStatus: "UNAVAILABLE" };
    if (cs.changes.length === 0) return { status: "FAILED", executionStatus: "UNAVAILABLE", reason: NO_CHANGES_REASON };
    if (cs.executedAt === undefined) return { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE" };
    const st = this.status(cs.stack, at).status;
    return { status: "CREATE_COMPLETE", executionStatus: st.endsWith("_IN_PROGRESS") ? "EXECUTE_IN_PROGRESS" : st.endsWith("_COMPLETE") && !st.includes("ROLLBACK") ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED" };
  }

  changeSet(stackName: string | undefined, nameOrId: string): ChangeSet {
    const all = this.stacks.flatMap((s) => s.changeSets);
    const cs = nameOrId.startsWith("arn:") ? all.find((c) => c.id === nameOrId) : stackName ? this.find(stackName)?.changeSets.find((c) => c.name === nameOrId) : undefined;
    if (!cs) throw new AwsError("ChangeSetNotFoundException", `ChangeSet [${nameOrId}] does not exist`, { status: 404, queryCode: "ChangeSetNotFound" });
    return cs;
  }

  /**
   * CreateChangeSet: CREATE for a new stack (which then exists in REVIEW_IN_PROGRESS), UPDATE for an
   * existing one; the template, parameters and capabilities are checked now; the change set is
   * CREATE_COMPLETE/AVAILABLE after CHANGE_SET_SECONDS, or FAILED when it changes nothing.
   */
  createChangeSet(req: StackRequest & { changeSetName: string; changeSetType?: string }): ChangeSet {
    if (!NAME.test(req.changeSetName)) throw validationError(`1 validation error detected: Value '${req.changeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    const type = (req.changeSetType ?? "UPDATE") as "CREATE" | "UPDATE";
    if (type !== "CREATE" && type !== "UPDATE") throw validationError(`ChangeSetType ${type} is not supported by the simulation (CREATE or UPDATE)`); // our wording
    let stack = this.find(req.stackName);
    const reviewing = stack && this.status(stack).status === "REVIEW_IN_PROGRESS";
    if (type === "UPDATE" && (!stack || reviewing)) throw validationError(`Stack [${req.stackName}] does not exist`);
    if (type === "CREATE" && stack && !reviewing) throw validationError(`Stack [${req.stackName}] already exists and cannot be created again with the changeSet [${req.changeSetName}].`);
    if (stack?.changeSets.some((c) => c.name === req.changeSetName)) throw new AwsError("AlreadyExistsException", `ChangeSet [${req.changeSetName}] already exists`, { status: 400 }); // our wording
    const previous = stack && !reviewing ? this.current(stack)?.config : undefined;
    const config = this.config(req, previous);
    if (!stack) {
      stack = this.newStack(req.stackName);
      this.event(stack, this.now(), stack.name, STACK_TYPE, "REVIEW_IN_PROGRESS", "User Initiated");
    }
    const changes = previous ? (diff(previous, config) ?? []) : config.template.resources.map((r) => ({ action: "Add" as const, logicalId: r.logicalId, type: r.type }));
    const cs: ChangeSet = { name: req.changeSetName, id: `arn:aws:cloudformation:${this.region}:${this.accountId}:changeSet/${req.changeSetName}/${this.uuid()}`, stack, type, config, createdAt: this.now(), changes };
    stack.changeSets.push(cs);
    return cs;
  }

  /**
   * ExecuteChangeSet: only an AVAILABLE change set ("ChangeSet [<id>] cannot be executed in its current
   * status of [<status>]", InvalidChangeSetStatus); the stack is created or updated from it and its other
   * change sets are deleted ("CloudFormation deletes all other change sets associated with the stack").
   */
  executeChangeSet(stackName: string | undefined, nameOrId: string, clientRequestToken?: string): void {
    const cs = this.changeSet(stackName, nameOrId);
    if (this.retried(clientRequestToken, "ExecuteChangeSet", cs.stack.stackId)) return;
    const st = this.changeSetStatus(cs);
    if (st.executionStatus !== "AVAILABLE") throw new AwsError("InvalidChangeSetStatusException", `ChangeSet [${cs.id}] cannot be executed in its current status of [${st.executionStatus === "UNAVAILABLE" ? st.status : st.executionStatus}]`, { status: 400, queryCode: "InvalidChangeSetStatus" });
    this.inProgress(cs.stack, "updated");
    cs.executedAt = this.now();
    cs.stack.changeSets = [cs];
    this.withToken(cs.stack, clientRequestToken, "ExecuteChangeSet", () => (cs.type === "CREATE" ? this.runCreate(cs.stack, cs.config, this.now()) : this.runUpdate(cs.stack, cs.config, cs.changes, this.now())));
  }

  /** DeleteChangeSet: not while it executes (InvalidChangeSetStatus). */
  deleteChangeSet(stackName: string | undefined, nameOrId: string): void {
    const cs = this.changeSet(stackName, nameOrId);
    if (this.changeSetStatus(cs).executionStatus === "EXECUTE_IN_PROGRESS") throw new AwsError("InvalidChangeSetStatusException", `ChangeSet [${cs.id}] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]`, { status: 400, queryCode: "InvalidChangeSetStatus" });
    cs.stack.changeSets = cs.stack.changeSets.filter((c) => c !== cs);
  }
}

/** The resource changes from one config to the next; undefined when template and parameters are the same (nothing to do). */
export function diff(previous: StackConfig, next: StackConfig): ChangeSet["changes"] | undefined {
  if (JSON.stringify(previous.template.body) === JSON.stringify(next.template.body) && JSON.stringify(sorted(previous.parameters)) === JSON.stringify(sorted(next.parameters))) return undefined;
  const before = (previous.template.body["Resources"] ?? {}) as Record<string, unknown>;
  const after = (next.template.body["Resources"] ?? {}) as Record<string, unknown>;
  const typeOf = (r: unknown) => String((r as { Type?: string }).Type ?? "");
  const changes: ChangeSet["changes"] = [];
  for (const [id, r] of Object.entries(after)) {
    if (!(id in before)) changes.push({ action: "Add", logicalId: id, type: typeOf(r) });
    else if (JSON.stringify(before[id]) !== JSON.stringify(r)) changes.push({ action: "Modify", logicalId: id, type: typeOf(r) });
  }
  for (const [id, r] of Object.entries(before)) if (!(id in after)) changes.push({ action: "Remove", logicalId: id, type: typeOf(r) });
  return changes;
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** Bucket and key of an S3 object URL (virtual-hosted or path-style; the query string, e.g. a presigned signature, ignored). */
export function s3Location(url: string): { bucket: string; key: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const key = decodeURIComponent(u.pathname.slice(1));
  const hosted = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$/.exec(u.hostname);
  if (hosted && key) return { bucket: hosted[1] as string, key };
  if (/^s3[.-]([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$/.test(u.hostname)) {
    const [bucket, ...rest] = key.split("/");
    return bucket && rest.length ? { bucket, key: rest.join("/") } : undefined;
  }
  return undefined;
}
