import type { StageGate } from "../../../functions/domain/pipeline/execution/stage-gate.js";
import type { PipelineExecution, PipelineRegistryPort } from "../../../functions/ports/pipeline-registry.js";

/**
 * In-memory pipeline registry: the same contract as the DynamoDB adapter (atomic updates; executions
 * newest first by start time, the order of executions started in the same millisecond unspecified).
 */
export class FakePipelineRegistry implements PipelineRegistryPort {
  readonly executions = new Map<string, PipelineExecution>();
  readonly gates = new Map<string, StageGate>();
  private order: string[] = [];

  private id(pipeline: string, executionId: string): string {
    return `${pipeline}/${executionId}`;
  }

  async createExecution(execution: PipelineExecution): Promise<PipelineExecution> {
    const id = this.id(execution.pipeline, execution.executionId);
    const existing = this.executions.get(id);
    if (existing) return existing;
    this.executions.set(id, structuredClone(execution));
    this.order.unshift(id);
    return execution;
  }

  async getExecution(pipeline: string, executionId: string): Promise<PipelineExecution | undefined> {
    const e = this.executions.get(this.id(pipeline, executionId));
    return e && structuredClone(e);
  }

  async updateExecution(pipeline: string, executionId: string, change: (current: PipelineExecution) => PipelineExecution): Promise<PipelineExecution> {
    const id = this.id(pipeline, executionId);
    const current = this.executions.get(id);
    if (!current) throw new Error(`no execution ${id}`);
    const next = change(structuredClone(current));
    this.executions.set(id, structuredClone(next));
    return next;
  }

  async updateGate<T>(pipeline: string, stage: string, initial: StageGate, change: (gate: StageGate) => { gate: StageGate; result: T }): Promise<T> {
    const id = `${pipeline}/${stage}`;
    const { gate, result } = change(structuredClone(this.gates.get(id) ?? initial));
    this.gates.set(id, gate);
    return result;
  }

  private newestFirst(pipeline: string): PipelineExecution[] {
    return this.order
      .map((id) => this.executions.get(id) as PipelineExecution)
      .filter((e) => e.pipeline === pipeline)
      .sort((a, b) => b.startedAtMs - a.startedAtMs);
  }

  async lastSucceededInStage(pipeline: string, stage: string, version: number): Promise<PipelineExecution | undefined> {
    const found = this.newestFirst(pipeline).find((e) => e.version === version && e.stages[stage]?.status === "Succeeded");
    return found && structuredClone(found);
  }

  async listExecutions(pipeline: string, limit: number): Promise<PipelineExecution[]> {
    return this.newestFirst(pipeline).slice(0, limit).map((e) => structuredClone(e));
  }
}
