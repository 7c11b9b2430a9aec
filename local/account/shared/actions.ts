import type { Journal } from "./journal.js";
import type { Reactions } from "./reactions.js";
import type { TimelineKind } from "./service.js";

/** An operator action: what it means is wired by the simulator with `account.onAction(action, handler)`. */
export type ActionItem = {
  atSeconds: number;
  action: string;
  /** Free-form JSON handed to the handler with the item. */
  input?: unknown;
};

/** What a timeline `action` means: registered with `onAction`. Runs asynchronously; `settled()` waits for it. */
export type ActionHandler = (item: ActionItem) => Promise<void> | void;

/**
 * The timeline's `{atSeconds, action: "stop", input?}`: an operator acts. The simulator says what
 * each action means (`on`); the account runs the handler asynchronously, tracked by Reactions.
 * Actions run one after another, in timeline order: an operator's `pause` at 1 s and `resume` at
 * 7 s are two commands in sequence, even when one clock jump makes both due at once. An action
 * without a handler, or whose handler throws, is logged and does nothing else.
 */
export class Actions {
  private readonly handlers = new Map<string, ActionHandler>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly reactions: Reactions,
    private readonly journal: Journal,
    private readonly now: () => number,
  ) {}

  /** Says what `{action: name}` does. Replaces an earlier handler; returns a function that removes it. */
  on(name: string, handler: ActionHandler): () => void {
    this.handlers.set(name, handler);
    return () => {
      if (this.handlers.get(name) === handler) this.handlers.delete(name);
    };
  }

  readonly timeline: TimelineKind = {
    keys: ["input"],
    parse: (o, f, c, atSeconds) => {
      const action = c.string(o, "action", f, { required: true });
      if (!action) return undefined;
      const item: ActionItem = "input" in o ? { atSeconds, action, input: o.input } : { atSeconds, action };
      return item;
    },
    apply: (entry) => this.run(entry as ActionItem),
  };

  private run(item: ActionItem): string {
    const handler = this.handlers.get(item.action);
    const input = item.input === undefined ? "" : ` ${JSON.stringify(item.input)}`;
    if (!handler) return `action ${item.action}${input}: no handler registered (account.onAction); nothing happened`;
    const previous = this.chain;
    let done!: () => void;
    this.chain = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.reactions.track(async () => {
      try {
        await previous;
        await handler(structuredClone(item));
      } catch (e) {
        this.journal.recordWorld({ atSeconds: this.now(), kind: "action", text: `action ${item.action} failed: ${(e as Error)?.message ?? String(e)}` });
      } finally {
        done();
      }
    });
    return `action ${item.action}${input}`;
  }
}
