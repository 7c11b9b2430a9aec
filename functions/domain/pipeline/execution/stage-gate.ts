import type { ExecutionMode } from "../types.js";

/**
 * The entrance of one stage, shared by every execution of the pipeline: who holds the stage, who
 * waits in front of it, and whether its inbound transition is enabled. Pure: the registry stores a
 * gate per stage and applies these decisions with a conditional write; the caller then answers the
 * task tokens the decision names.
 *
 * CodePipeline's rules (codepipeline-spec §1.5, §2; user guide concepts-how-it-works):
 * - A stage holds one execution at a time (SUPERSEDED, QUEUED); the lock is released when the stage
 *   succeeds, fails or the execution is stopped.
 * - SUPERSEDED: one execution waits at a locked stage; a newer arrival replaces it, and the replaced
 *   one ends Superseded. An execution inside a stage is never superseded.
 * - QUEUED: no execution is superseded; waiting executions enter one by one, first come first served.
 * - PARALLEL: stages do not serialise executions.
 * - A disabled inbound transition behaves like a locked stage (in every mode: the executions wait
 *   there); on enable, the latest waiting execution enters (SUPERSEDED keeps only the latest anyway),
 *   the head of the line (QUEUED), or all of them (PARALLEL).
 */
export interface Waiter {
  executionId: string;
  /** The task token of the waiting execution's `<Stage>(enter)` state. */
  token: string;
}

export interface StageGate {
  /** The execution inside the stage (SUPERSEDED, QUEUED); never set in PARALLEL. */
  holder?: string;
  /** In arrival order. SUPERSEDED keeps at most one. */
  waiting: Waiter[];
  transition: { enabled: true } | { enabled: false; reason: string };
  /** The execution that entered last: a failed execution can be retried only while it is still this one. */
  lastEntered?: string;
}

export interface GateDecision {
  gate: StageGate;
  /** The arriving execution entered now (answer its own token with success). */
  entered: boolean;
  /** Executions let in by this change: answer their tokens with success. */
  admit: Waiter[];
  /** Executions replaced at the entrance: fail their tokens with `Pipeline.Superseded`. */
  supersede: Waiter[];
}

export function openGate(): StageGate {
  return { waiting: [], transition: { enabled: true } };
}

const locks = (mode: ExecutionMode) => mode !== "PARALLEL";

/** An execution arrives at the stage's entrance. */
export function arrive(gate: StageGate, arriving: Waiter, mode: ExecutionMode): GateDecision {
  if (gate.holder === arriving.executionId || gate.waiting.some((w) => w.executionId === arriving.executionId && w.token === arriving.token)) {
    // A retried delivery of the same arrival: decide nothing twice.
    return { gate, entered: gate.holder === arriving.executionId, admit: [], supersede: [] };
  }
  const others = gate.waiting.filter((w) => w.executionId !== arriving.executionId);
  const free = gate.transition.enabled && (!locks(mode) || gate.holder === undefined) && others.length === 0;
  if (free) {
    return { gate: { ...gate, holder: locks(mode) ? arriving.executionId : undefined, waiting: [], lastEntered: arriving.executionId }, entered: true, admit: [], supersede: [] };
  }
  if (mode === "SUPERSEDED") return { gate: { ...gate, waiting: [arriving] }, entered: false, admit: [], supersede: others };
  return { gate: { ...gate, waiting: [...others, arriving] }, entered: false, admit: [], supersede: [] };
}

/** Who goes in when nothing holds the stage and the transition is enabled. */
function admitWaiting(gate: StageGate, mode: ExecutionMode): GateDecision {
  if (!gate.transition.enabled || gate.waiting.length === 0 || (locks(mode) && gate.holder !== undefined)) return { gate, entered: false, admit: [], supersede: [] };
  if (!locks(mode)) return { gate: { ...gate, waiting: [], lastEntered: gate.waiting.at(-1)?.executionId }, entered: false, admit: gate.waiting, supersede: [] };
  const [next, ...rest] = gate.waiting as [Waiter, ...Waiter[]];
  return { gate: { ...gate, holder: next.executionId, waiting: rest, lastEntered: next.executionId }, entered: false, admit: [next], supersede: [] };
}

/** The holder leaves (stage succeeded, failed, or the execution stopped): the next waiter enters. */
export function release(gate: StageGate, executionId: string, mode: ExecutionMode): GateDecision {
  const withoutIt = { ...gate, waiting: gate.waiting.filter((w) => w.executionId !== executionId) };
  if (gate.holder !== executionId) return { gate: withoutIt, entered: false, admit: [], supersede: [] };
  const { holder: _left, ...freed } = withoutIt;
  return admitWaiting(freed, mode);
}

/**
 * CodePipeline rule 5: a failed execution can be retried only while no newer execution has entered
 * the failed stage (codepipeline-spec §1.5).
 */
export function canRetryAt(gate: StageGate, executionId: string): boolean {
  return gate.lastEntered === undefined || gate.lastEntered === executionId;
}

export function disableTransition(gate: StageGate, reason: string): StageGate {
  return { ...gate, transition: { enabled: false, reason } };
}

export function enableTransition(gate: StageGate, mode: ExecutionMode): GateDecision {
  return admitWaiting({ ...gate, transition: { enabled: true } }, mode);
}
