import type { ManagedNode, NodeCommandResult, RunCommandPort } from "../../../functions/ports/run-command.js";

/** SSM in memory: nodes with tags, sent commands recorded, each node's result scripted (default: Success, exit 0). */
export class FakeRunCommand implements RunCommandPort {
  readonly nodes: (ManagedNode & { tags: Record<string, string> })[] = [];
  readonly sent: { commandId: string; documentName: string; instanceIds: string[]; script: string; executionTimeoutSeconds: number }[] = [];
  /** instanceId -> what its invocations answer. */
  readonly scripted = new Map<string, Partial<NodeCommandResult>>();

  async findNodes(query: { tags?: Record<string, string[]>; tagKeys?: string[]; instanceIds?: string[] }): Promise<ManagedNode[]> {
    return this.nodes
      .filter((n) => Object.entries(query.tags ?? {}).every(([k, vs]) => vs.includes(n.tags[k] as string)) && (!query.tagKeys || query.tagKeys.some((k) => k in n.tags)) && (!query.instanceIds || query.instanceIds.includes(n.id)))
      .map(({ id, platform, online }) => ({ id, platform, online }));
  }

  async send(request: { documentName: string; instanceIds: string[]; script: string; executionTimeoutSeconds: number }): Promise<string> {
    const commandId = `cmd-${this.sent.length + 1}`;
    this.sent.push({ commandId, ...request });
    return commandId;
  }

  /** Commands cancelled (CancelCommand): their invocations that had not ended answer Cancelled from then on. */
  readonly cancelled: string[] = [];

  async cancel(commandId: string): Promise<void> {
    this.cancelled.push(commandId);
  }

  async result(commandId: string, instanceId: string): Promise<NodeCommandResult> {
    const r: NodeCommandResult = { instanceId, status: "Success", done: true, exitCode: 0, details: "Success", output: "", ...this.scripted.get(instanceId) };
    return !r.done && this.cancelled.includes(commandId) ? { ...r, status: "Cancelled", done: true, exitCode: -1, details: "Cancelled", output: "" } : r;
  }

  async results(commandId: string): Promise<NodeCommandResult[]> {
    const sent = this.sent.find((c) => c.commandId === commandId);
    // ListCommandInvocations cuts each plugin's output at 2,500 characters.
    return Promise.all((sent?.instanceIds ?? []).map(async (instanceId) => {
      const r = await this.result(commandId, instanceId);
      return { ...r, output: r.output.slice(0, 2500) };
    }));
  }
}
