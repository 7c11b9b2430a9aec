import type { PipelineIssue } from "../types.js";

/**
 * State names of a compiled pipeline. Step Functions state names are 1-80 characters and must not
 * contain white space, brackets `< > { } [ ]`, `? *`, or `" # % \ ^ | ~ \` $ & , ; : /`
 * (Step Functions API Reference, StateEnteredEventDetails/StateExitedEventDetails `name`).
 * CodePipeline names use only `A-Z a-z 0-9 . @ - _` (1-100), so they are safe as they are; the
 * separators used here (`.` between stage and action, a suffix in parentheses) are allowed.
 *
 * - The action's provider task is `<Stage>.<Action>`; its helper states are `<Stage>.<Action>(<step>)`;
 *   stage states are `<Stage>(<step>)`; pipeline states `<Step>(pipeline)`. Action and stage steps use
 *   different words, so they cannot collide; the rare remaining collision (stage `a.b` + action `c`
 *   vs stage `a` + action `b.c`) gets `-2`, `-3`, ... appended.
 * - Longer than 80: the stage part is shortened first (`Deploy-to-prod..`), so the action's name stays
 *   verbatim. Only when the action's name alone does not fit (names over about 60 characters) is it
 *   cut, with a 6-hex hash of the full name, and a warning says so; the full names are in the state's
 *   Comment.
 */
export const MAX_STATE_NAME = 80;
const ELLIPSIS = "..";

/** FNV-1a, 32 bits, as 8 hex digits: a short stable hash (no crypto needed, same on every platform). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function cut(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const hash = shortHash(text).slice(0, 6);
  return `${text.slice(0, Math.max(1, budget - hash.length - 1))}-${hash}`;
}

export class StateNames {
  private readonly used = new Set<string>();
  readonly warnings: PipelineIssue[] = [];

  private claim(name: string): string {
    let unique = name;
    for (let n = 2; this.used.has(unique); n++) {
      const tail = `-${n}`;
      unique = `${name.slice(0, MAX_STATE_NAME - tail.length)}${tail}`;
    }
    this.used.add(unique);
    return unique;
  }

  /** `Start(pipeline)`, `Succeeded(pipeline)`, ... */
  pipeline(step: string): string {
    return this.claim(`${step}(pipeline)`);
  }

  /** `<Stage>(<step>)`, the stage part shortened when needed. */
  stage(stage: string, step: string): string {
    const suffix = `(${step})`;
    return this.claim(`${shorten(stage, MAX_STATE_NAME - suffix.length)}${suffix}`);
  }

  /** `<Stage>.<Action>` or `<Stage>.<Action>(<step>)`, keeping the action's name verbatim when it fits. */
  action(stage: string, action: string, step: string | undefined, path: string): string {
    const suffix = step === undefined ? "" : `(${step})`;
    const stageBudget = MAX_STATE_NAME - suffix.length - action.length - 1;
    if (stageBudget >= Math.min(stage.length, ELLIPSIS.length + 2)) {
      return this.claim(`${shorten(stage, stageBudget)}.${action}${suffix}`);
    }
    if (step === undefined) {
      this.warnings.push({ path, message: `the action name is ${action.length} characters: too long to appear verbatim in a Step Functions state name (at most ${MAX_STATE_NAME}); its states carry a shortened name with a hash, and the full name in their Comment` });
    }
    const actionBudget = MAX_STATE_NAME - suffix.length - 1 - Math.min(stage.length, 4);
    return this.claim(`${shorten(stage, Math.min(stage.length, 4))}.${cut(action, actionBudget)}${suffix}`);
  }
}

function shorten(text: string, budget: number): string {
  if (text.length <= budget) return text;
  return `${text.slice(0, Math.max(1, budget - ELLIPSIS.length))}${ELLIPSIS}`;
}
