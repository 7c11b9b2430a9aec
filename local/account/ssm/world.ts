import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import { type Command, DOCUMENTS, type InstanceBehaviour, type Invocation, type InvocationStatus, type ManagedInstance } from "./model.js";
import { DEFAULT_BEHAVIOUR, runScript } from "./run.js";

/** SSM's limits (API SendCommand: InstanceIds max 50; executionTimeout 1-172800 s, default 3600; TimeoutSeconds 30-2592000). */
export const MAX_INSTANCE_IDS = 50;
const DELIVERY_SECONDS = 1;

const invalid = (code: string, message: string) => new AwsError(code, message, { status: 400 });

/**
 * Systems Manager's managed nodes and Run Command. A command's invocations are decided when it is sent (the instance
 * "runs" the script, ssm/run.ts) and reported as simulated time passes: Pending, InProgress until the run's
 * simulated duration ends, then Success, Failed or TimedOut. A successful stepdeploy install records the deployment
 * as the instance's last successful revision at that moment, so the next deployment's ApplicationStop runs.
 */
export class SsmWorld {
  readonly instances = new Map<string, ManagedInstance>();
  readonly commands = new Map<string, Command>();
  private readonly invocations = new Map<string, Invocation>();
  private counter = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly uuid: () => string,
  ) {}

  addInstance(i: { id: string; platform?: "Linux" | "Windows"; pingStatus?: "Online" | "ConnectionLost"; tags?: Record<string, string>; behaviour?: Partial<InstanceBehaviour>; lastSuccessful?: string }): ManagedInstance {
    const instance: ManagedInstance = {
      id: i.id,
      platform: i.platform ?? "Linux",
      pingStatus: i.pingStatus ?? "Online",
      tags: { ...i.tags },
      behaviour: { ...DEFAULT_BEHAVIOUR, ...i.behaviour },
      lastSuccessful: i.lastSuccessful,
      revisions: i.lastSuccessful ? [i.lastSuccessful] : [],
    };
    this.instances.set(i.id, instance);
    return instance;
  }

  sendCommand(req: { documentName: string; instanceIds: string[]; script: string; executionTimeoutSeconds: number; deliveryTimeoutSeconds: number; comment: string }): Command {
    if (!(req.documentName in DOCUMENTS)) throw invalid("InvalidDocument", `Document ${req.documentName} does not exist in the simulated account (AWS-RunShellScript, AWS-RunPowerShellScript)`);
    if (req.instanceIds.length === 0) throw invalid("ValidationException", "InstanceIds or Targets must be specified");
    if (req.instanceIds.length > MAX_INSTANCE_IDS) throw invalid("ValidationException", `1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INSTANCE_IDS}`);
    const unknown = req.instanceIds.filter((id) => !this.instances.has(id));
    if (unknown.length > 0) throw invalid("InvalidInstanceId", `Instances [[${unknown.join(", ")}]] not in a valid state for account`);
    const now = this.clock.now();
    const command: Command = { commandId: this.uuid(), requestedAtMs: now, ...req };
    this.commands.set(command.commandId, command);
    for (const id of req.instanceIds) this.invocations.set(`${command.commandId}/${id}`, this.invoke(command, this.instances.get(id)!));
    this.counter += 1;
    return command;
  }

  private invoke(command: Command, instance: ManagedInstance): Invocation {
    this.settle(instance.id);
    const base = { commandId: command.commandId, instanceId: instance.id, documentName: command.documentName, requestedAtMs: command.requestedAtMs, applied: false };
    const startMs = command.requestedAtMs + DELIVERY_SECONDS * 1000;
    if (instance.pingStatus !== "Online") {
      const endMs = command.requestedAtMs + command.deliveryTimeoutSeconds * 1000;
      return { ...base, startMs: endMs, endMs, status: "TimedOut", statusDetails: "DeliveryTimedOut", responseCode: -1, output: "" };
    }
    if (DOCUMENTS[command.documentName as keyof typeof DOCUMENTS] !== instance.platform) {
      return { ...base, startMs, endMs: startMs, status: "Failed", statusDetails: "Failed", responseCode: 1, output: `${command.documentName} cannot run on a ${instance.platform} node` };
    }
    const run = runScript(command.script, instance, command.executionTimeoutSeconds);
    const endMs = startMs + run.seconds * 1000;
    if (run.timedOut) return { ...base, startMs, endMs, status: "TimedOut", statusDetails: "ExecutionTimedOut", responseCode: -1, output: run.output };
    return { ...base, startMs, endMs, status: run.exitCode === 0 ? "Success" : "Failed", statusDetails: run.exitCode === 0 ? "Success" : "Failed", responseCode: run.exitCode, output: run.output, records: run.records };
  }

  /**
   * CancelCommand: every invocation of the command (or of the given nodes) that has not ended ends now as Cancelled,
   * and nothing of it is applied to the instance (the simulated script is stopped where it was: the deployment root
   * keeps the revision it had). API reference CancelCommand: "There is no guarantee that the command will be
   * terminated"; the simulated agent always stops it, at once (SSM reports Cancelling, then Cancelled: the
   * intermediate state is not modelled). Ended invocations are left as they are.
   */
  cancelCommand(commandId: string, instanceIds?: string[]): number {
    const command = this.commands.get(commandId);
    if (!command) throw invalid("InvalidCommandId", "");
    const unknown = (instanceIds ?? []).filter((id) => !command.instanceIds.includes(id));
    if (unknown.length > 0) throw invalid("InvalidInstanceId", `Instances [[${unknown.join(", ")}]] not in a valid state for account`);
    const now = this.clock.now();
    let cancelled = 0;
    for (const id of instanceIds?.length ? instanceIds : command.instanceIds) {
      const inv = this.invocations.get(`${commandId}/${id}`)!;
      if (now >= inv.endMs) continue;
      Object.assign(inv, { startMs: Math.min(inv.startMs, now), endMs: now, status: "Cancelled", statusDetails: "Cancelled", responseCode: -1, output: "", records: undefined, cancelled: true });
      cancelled += 1;
    }
    return cancelled;
  }

  /** The invocation as it stands now; an ended install is applied to the instance first. */
  invocation(commandId: string, instanceId: string): { invocation: Invocation; status: InvocationStatus; statusDetails: string } {
    const inv = this.invocations.get(`${commandId}/${instanceId}`);
    if (!inv) throw invalid("InvocationDoesNotExist", "");
    const now = this.clock.now();
    if (now >= inv.endMs) {
      this.apply(inv);
      return { invocation: inv, status: inv.status, statusDetails: inv.statusDetails };
    }
    if (now >= inv.startMs) return { invocation: inv, status: "InProgress", statusDetails: "InProgress" };
    return { invocation: inv, status: "Pending", statusDetails: "Pending" };
  }

  invocationsOf(commandId: string): Invocation[] {
    const command = this.commands.get(commandId);
    if (!command) return [];
    return command.instanceIds.map((id) => this.invocations.get(`${commandId}/${id}`)!);
  }

  /** Seconds from now until every invocation of the command has ended (0 if it has). */
  secondsUntilDone(commandId: string): number {
    const last = Math.max(...this.invocationsOf(commandId).map((i) => i.endMs));
    return Math.max(0, Math.ceil((last - this.clock.now()) / 1000));
  }

  /**
   * The node's agent is gone (its EC2 instance is terminating: a scale-in, TerminateInstances). Its script stops where
   * it was and nothing more is applied; SSM never hears back: "If the SSM agent is not available on the instance, the
   * command status will show In Progress until the SSM agent is available again" (User Guide, "Understanding command
   * statuses"), which for a terminated instance is never, so the invocation ends at its executionTimeout as TimedOut
   * (ExecutionTimedOut); one not yet delivered ends at its delivery timeout (DeliveryTimedOut). Ended ones are kept.
   */
  agentLost(instanceId: string): void {
    const now = this.clock.now();
    this.settle(instanceId);
    for (const inv of this.invocations.values()) {
      if (inv.instanceId !== instanceId || now >= inv.endMs) continue;
      const command = this.commands.get(inv.commandId)!;
      const delivered = now >= inv.startMs;
      const endMs = command.requestedAtMs + (delivered ? command.executionTimeoutSeconds : command.deliveryTimeoutSeconds) * 1000;
      Object.assign(inv, { ...(delivered ? {} : { startMs: Math.max(endMs, now) }), endMs: Math.max(endMs, now), status: "TimedOut", statusDetails: delivered ? "ExecutionTimedOut" : "DeliveryTimedOut", responseCode: -1, output: "", records: undefined });
    }
  }

  /** Applies every ended invocation of an instance, so a new command sees what the earlier ones installed. */
  private settle(instanceId: string): void {
    const now = this.clock.now();
    for (const inv of this.invocations.values()) if (inv.instanceId === instanceId && inv.endMs <= now) this.apply(inv);
  }

  private apply(inv: Invocation): void {
    if (inv.applied) return;
    inv.applied = true;
    if (inv.status !== "Success" || !inv.records) return;
    const instance = this.instances.get(inv.instanceId)!;
    instance.lastSuccessful = inv.records;
    instance.revisions.push(inv.records);
  }

  /** Observation for tests and reports: the deployment whose revision each instance runs. */
  revisionOf(instanceId: string): string | undefined {
    this.settle(instanceId);
    return this.instances.get(instanceId)?.lastSuccessful;
  }

  get commandCount(): number {
    return this.counter;
  }
}
