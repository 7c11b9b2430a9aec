import type { SimClock } from "../../clock.js";
import type { ServiceEvent } from "../eventbridge/world.js";
import type { Checker, Json } from "./checker.js";
import type { IdGenerator } from "./ids.js";
import type { Journal } from "./journal.js";
import type { ServiceApi } from "./protocol/wire.js";
import type { Reactions } from "./reactions.js";

/**
 * The contract between the simulated account and each AWS service it simulates. A service is a
 * folder (`lambda/`, `cloudwatch/`, ...) whose `index.ts` exports a `ServiceDefinition`, and one
 * entry in the list in `services.ts`. `create` builds the service for one account:
 *  - `world`: its state and the AWS rules it enforces (throwing `AwsError` with AWS's error names);
 *  - `api`: its wire protocol handler, when the SDK can call it (ECR's pushes, for one, are made
 *    directly on the world);
 *  - `setup`: the keys of the plain-JSON account setup it reads;
 *  - `timeline`: the kinds of timeline entries it applies (`{atSeconds, alarm: ...}`).
 * The account owns what every service shares (clock, ids, journal, reactions, faults, routing).
 */
export interface AccountContext {
  readonly clock: SimClock;
  readonly region: string;
  readonly accountId: string;
  readonly ids: IdGenerator;
  readonly journal: Journal;
  readonly reactions: Reactions;
  /** Puts an event the service emits itself (source `aws.*`) on a bus; EventBridge delivers it to matching rules. */
  emit(event: EmittedEvent): ServiceEvent;
  /** The world of another service of the account, by its name in `services.ts` (looked up when called). */
  world<W>(service: string): W;
  /** Adds a line to the account's world log (`worldLog`), dated now unless `atSeconds` is given. */
  log(kind: string, text: string, atSeconds?: number): void;
  /** Epoch milliseconds of simulated second `atSeconds`. */
  msAt(atSeconds: number): number;
}

/** An event an AWS service of the account emits (CloudWatch alarm state change, Step Functions status change, ECR push). */
export interface EmittedEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  /** When the change happened (default: now). */
  atMs?: number;
  /** Default "default". */
  eventBusName?: string;
}

export interface SetupSection {
  /** The top-level keys of the account setup this service reads (e.g. `functions`, `hooks`). */
  readonly keys: readonly string[];
  /**
   * Validates this service's part of `setup`, reporting every problem to `c` with its path. Returns
   * what creates the resources; the account runs it only when the whole setup is valid, so a bad
   * setup changes nothing.
   */
  parse(setup: Json, c: Checker): () => void;
}

/** A timeline entry as written: `{atSeconds, <kind>: ..., ...}`. */
export interface TimelineItem {
  atSeconds: number;
  [key: string]: unknown;
}

export interface TimelineKind {
  /** Keys an entry of this kind may have besides `atSeconds` and the kind's own key. */
  readonly keys: readonly string[];
  /** Validates an entry (problems go to `c`); returns it as it will be applied, or undefined when invalid. */
  parse(entry: Json, field: string, c: Checker, atSeconds: number): TimelineItem | undefined;
  /** Applies a due entry; returns the world log line. */
  apply(entry: TimelineItem): string;
}

export interface Service<W> {
  readonly world: W;
  readonly api?: ServiceApi;
  readonly setup?: SetupSection;
  /** Timeline kinds by the key that names them (`alarm`, `hook`, ...). */
  readonly timeline?: Readonly<Record<string, TimelineKind>>;
}

export interface ServiceDefinition<Name extends string = string, W = unknown> {
  /** The name other services and the account look the world up by (`lambda`, `cloudwatch`, ...). */
  readonly name: Name;
  create(ctx: AccountContext): Service<W>;
}
