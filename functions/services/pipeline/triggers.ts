import { type TriggeredStart, triggeredStarts } from "../../domain/pipeline/execution/trigger-events.js";
import type { ExecutionMode } from "../../domain/pipeline/types.js";
import type { ExecutionsPort } from "../../ports/executions.js";
import type { PipelineStackConfig } from "../../wiring.js";
import type { PipelineDeps } from "./context.js";
import { abandonExecution } from "./operators.js";

/**
 * What EventBridge delivers to the pipelines: source changes that start executions (one per watching
 * pipeline, named from the event so a repeated delivery starts nothing new), and Step Functions'
 * status changes of executions that died outside their own failure path (stopped, timed out, crashed),
 * whose stages are then released.
 */
export async function startTriggeredExecutions(deps: { executions: ExecutionsPort; config: { pipeline: Pick<PipelineStackConfig, "triggers" | "stateMachineArnPrefix"> } }, event: Record<string, unknown>): Promise<{ started: StartedExecution[] }> {
  return { started: await startEach(deps, triggeredStarts(event, deps.config.pipeline.triggers)) };
}

export interface StartedExecution {
  pipeline: string;
  executionArn: string;
  alreadyExisted: boolean;
}

/** Starts each pipeline execution once (by its name: a repeated delivery finds the one it started). */
export async function startEach(deps: { executions: ExecutionsPort; config: { pipeline: Pick<PipelineStackConfig, "stateMachineArnPrefix"> } }, starts: TriggeredStart[]): Promise<StartedExecution[]> {
  const started: StartedExecution[] = [];
  for (const s of starts) {
    const { executionArn, alreadyExisted } = await deps.executions.startOnce(`${deps.config.pipeline.stateMachineArnPrefix}${s.stateMachine}`, s.executionName, s.input);
    started.push({ pipeline: s.pipeline, executionArn, alreadyExisted });
  }
  return started;
}

interface StatusChange {
  detail?: { stateMachineArn?: string; name?: string; status?: string; input?: string | null };
}

/** The pipeline execution an execution of the state machine carried (its input names it, else it is the execution's name). */
function pipelineExecutionId(name: string, input: string | null | undefined): string {
  try {
    const parsed = JSON.parse(input ?? "{}") as { pipelineExecutionId?: string; resume?: { pipelineExecutionId?: string } };
    return parsed.resume?.pipelineExecutionId ?? parsed.pipelineExecutionId ?? name;
  } catch {
    return name;
  }
}

export async function releaseDeadExecution(deps: PipelineDeps & { pipelinesConfig: { pipeline: string; stateMachine: string; stages: string[]; executionMode: ExecutionMode }[] }, event: StatusChange): Promise<{ released: string | null }> {
  const d = event.detail ?? {};
  const machine = d.stateMachineArn?.split(":").pop();
  const p = deps.pipelinesConfig.find((x) => x.stateMachine === machine);
  if (!p || !d.name || !["ABORTED", "TIMED_OUT", "FAILED"].includes(d.status ?? "")) return { released: null };
  const id = pipelineExecutionId(d.name, d.input);
  await abandonExecution(deps, p.pipeline, p.stages, p.executionMode, id, d.status === "ABORTED" ? "Stopped" : "Failed");
  return { released: id };
}
