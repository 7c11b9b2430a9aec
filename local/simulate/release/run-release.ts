import { PutObjectCommand } from "@aws-sdk/client-s3";
import { bundleTypeOfKey, parseTriggerEvent } from "../../../functions/domain/release/index.js";
import type { SimAccount } from "../../account/index.js";
import type { ExecutionReport } from "../../runtime/runtime.js";
import { readableCause } from "../after-run.js";
import { consumersOf, dispatchDecisions, rulePatternsOf } from "../event-routes.js";
import { ecsOutcome } from "../run-scenario.js";
import { type SimWorld, openSimWorld } from "../world.js";
import { buildBundle } from "./bundle-dir.js";
import type { ReleaseScenario } from "./scenario.js";

/**
 * Runs a release scenario: opens a simulated world with s3rver, performs the upload or push the
 * trigger event describes, lets the account deliver the event (EventBridge rules from
 * serverless.yml, or a direct Lambda notification for the Records[] form) as many times as asked,
 * and follows every release execution and its nested deployment to the end.
 */
export interface ReleaseRunReport {
  scenario: string;
  trigger: string;
  /** What the simulator did to the world before the event was delivered. */
  actions: string[];
  /** How the event reaches dispatchRelease: a rule of the stack, the Records[] notification, or not at all. */
  routing: string;
  /** What dispatchRelease decides for each trigger in the event (release sources of the stage, or the scenario's). */
  dispatch: string[];
  releases: { name: string; status: string; error?: string; cause?: string; output?: unknown }[];
  deployments: { name: string; status: string; error?: string; cause?: string }[];
  publishedVersions: string[];
  finalAlias?: { functionName: string; alias: string; functionVersion: string; additionalVersionWeights: Record<string, number> };
  /** ECS releases: what the deployment's routes forward at the end (by target group name), and the service's task sets. */
  finalRoutes?: Record<string, Record<string, number> | undefined>;
  taskSets?: { status: string; taskDefinition: string }[];
  events: string[];
  /** Functions whose code was changed (successful UpdateFunctionCode), in order. */
  updatedFunctions: string[];
  /** Failed AWS calls per operation (injected faults and real refusals), retried or not. */
  failedCalls: Record<string, number>;
  stats: { stateTransitions: number; historyEvents: number; apiCallsTotal: number; lambdaInvocations: number; estimatedCostUsd: number; simulatedSeconds: number; wallMs: number };
  expectationFailures?: string[];
}

const s3Arn = (bucket: string) => `arn:aws:s3:::${bucket}`;
/** Release events (REFUSED, FAILED) are listed as `release <state>`, deployment events by their state. */
const RELEASE_DETAIL_TYPE = "StepDeploy Release State-change Notification";

async function upload(world: SimWorld, scenario: ReleaseScenario, bucket: string, key: string): Promise<{ etag: string; size: number }> {
  if (!world.s3 || !scenario.bundleDir) throw new Error(`scenario ${scenario.name}: an S3 trigger needs bundleDir (what was uploaded)`);
  const body = await buildBundle(scenario.bundleDir, bundleTypeOfKey(key) ?? "zip");
  const out = await world.s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return { etag: String(out.ETag ?? "").replace(/"/g, ""), size: body.length };
}

/**
 * Performs what the event describes and returns the deliveries to make (each sends the event once).
 * An upload to a bucket the world does not have is not made (there is nowhere to put it): the
 * event is delivered as sent, and the stack decides what to do with it.
 */
async function act(world: SimWorld, scenario: ReleaseScenario, buckets: readonly string[], actions: string[]): Promise<() => Promise<void>> {
  const { account } = world;
  const ev = scenario.trigger;
  const parsed = parseTriggerEvent(ev);
  const t = parsed.triggers[0];
  const foreign = (bucket: string) => `s3://${bucket} is not a bucket of this world (its buckets: ${buckets.join(", ") || "none"}): nothing uploaded, the event is delivered as sent`;
  if (Array.isArray(ev.Records)) {
    const records = [];
    type S3Record = { s3: { object: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;
    for (const [i, r] of (ev.Records as S3Record[]).entries()) {
      const tr = parsed.triggers[i];
      if (tr?.kind !== "s3" || !buckets.includes(tr.bucket)) {
        if (tr?.kind === "s3") actions.push(foreign(tr.bucket));
        records.push(r);
        continue;
      }
      const { etag, size } = await upload(world, scenario, tr.bucket, tr.key);
      actions.push(`uploaded s3://${tr.bucket}/${tr.key} (${size} bytes, etag ${etag}); the bucket notifies dispatchRelease directly (Records[] form)`);
      records.push({ ...r, s3: { ...r.s3, object: { ...r.s3.object, size, eTag: etag, sequencer: sequencer(account) } } });
    }
    const notification = { Records: records };
    return async () => {
      await world.runtime.invokeFunction(DISPATCHER, notification);
    };
  }
  if (t?.kind === "s3" && buckets.includes(t.bucket)) {
    const { etag, size } = await upload(world, scenario, t.bucket, t.key);
    const detail = ev.detail as { object?: Record<string, unknown> } & Record<string, unknown>;
    const { "version-id": _unversioned, ...object } = detail.object ?? {};
    const sent = { ...detail, object: { ...object, size, etag, sequencer: sequencer(account) } };
    actions.push(`uploaded s3://${t.bucket}/${t.key} (${size} bytes, etag ${etag}); the bucket (unversioned, as s3rver is) sends Object Created`);
    return async () => {
      account.eventbridge.emit({ source: "aws.s3", detailType: "Object Created", detail: sent, resources: [s3Arn(t.bucket)] });
    };
  }
  const d = ev.detail as Record<string, string> | undefined;
  if (ev.source === "aws.ecr" && d) {
    const push = { repository: d["repository-name"] ?? "", tag: d["image-tag"], digest: d["image-digest"], result: d.result === "FAILURE" ? ("FAILURE" as const) : ("SUCCESS" as const) };
    let first = true;
    actions.push(`docker push ${account.ecr.repositoryUri(push.repository)}${push.tag ? `:${push.tag}` : ""} (${push.digest}): ${push.result}; ECR sends ECR Image Action`);
    return async () => {
      // The push happens once; later deliveries repeat its event.
      if (first) account.ecr.push(push);
      else account.eventbridge.emit({ source: "aws.ecr", detailType: "ECR Image Action", detail: ev.detail as Record<string, unknown>, resources: [] });
      first = false;
    };
  }
  actions.push(t?.kind === "s3" ? foreign(t.bucket) : `event delivered as is: ${parsed.ignored.map((i) => i.reason).join("; ") || "no trigger"}`);
  const resources = Array.isArray(ev.resources) ? ev.resources.map(String) : [];
  return async () => {
    account.eventbridge.emit({ source: String(ev.source), detailType: String(ev["detail-type"]), detail: (ev.detail ?? {}) as Record<string, unknown>, resources });
  };
}

/** How the event reaches dispatchRelease, from the stack's own rules (the Records[] form is delivered straight to it). */
function routingOf(world: SimWorld, event: Record<string, unknown>): string {
  const stack = world.runtime.stack;
  const dispatcher = stack.functions.get(DISPATCHER)?.name ?? DISPATCHER;
  if (Array.isArray(event.Records)) return `an S3 notification (Records[]): the bucket invokes ${dispatcher} itself, no rule involved`;
  if (consumersOf(stack, world.runtime.root, event).some((c) => c.name === dispatcher)) return `a rule of the stack delivers it to ${dispatcher}`;
  const rules = rulePatternsOf(stack, DISPATCHER, event.source);
  return `no rule of the stack matches it, so ${dispatcher} is never invoked (its rules for ${String(event.source)} events: ${rules.join(" or ") || "none"}); were it invoked, it would decide as below`;
}

const DISPATCHER = "DispatchReleaseLambdaFunction";

let sequencerCount = 0;
/** S3's sequencer: a hex string that grows with each event on a key. */
function sequencer(account: SimAccount): string {
  sequencerCount += 1;
  return (BigInt(Math.round(account.clock.now())) * 1000n + BigInt(sequencerCount)).toString(16).toUpperCase().padStart(18, "0");
}

export async function simulateRelease(scenario: ReleaseScenario, opts: { onLine?: (text: string) => void } = {}): Promise<ReleaseRunReport> {
  // `s3` (the buckets s3rver serves) is the release world's extra; the rest is the simulated account's setup.
  const { s3, ...setup } = scenario.account as Record<string, unknown> & { s3?: { buckets?: string[] } };
  const buckets = s3?.buckets ?? [];
  const world = await openSimWorld(setup, { timeline: scenario.timeline, s3Buckets: buckets });
  const saved = process.env.RELEASE_SOURCES;
  if (scenario.sources) process.env.RELEASE_SOURCES = JSON.stringify(scenario.sources);
  const wallStart = performance.now();
  const simStart = world.clock.elapsedSeconds();
  try {
    return await world.within(async () => {
      const { account } = world;
      const actions: string[] = [];
      const routing = routingOf(world, scenario.trigger);
      const dispatch = dispatchDecisions(scenario.trigger, process.env);
      const deliver = await act(world, scenario, buckets, actions);
      for (const a of actions) opts.onLine?.(a);
      for (let i = 0; i < (scenario.deliveries ?? 1); i++) {
        await deliver();
        await account.settled();
        opts.onLine?.(`delivery ${i + 1}: ${account.executions.length} execution(s) in the account`);
      }
      const byMachine = (suffix: string) => account.executions.filter((e) => e.stateMachineName.endsWith(suffix));
      const releaseReports: ExecutionReport[] = [];
      for (const e of byMachine("-release")) releaseReports.push(await world.wired.finished(e.executionArn));
      await account.settled();
      const deployReports: ExecutionReport[] = [];
      for (const e of [...byMachine("-deploy-lambda"), ...byMachine("-deploy-ecs")]) deployReports.push(await world.wired.finished(e.executionArn));
      const last = releaseReports.at(-1)?.output as { deployment?: { functionName?: string; alias?: string } } | undefined;
      const failedInput = byMachine("-deploy-lambda").at(-1)?.input;
      const target = last?.deployment ?? (failedInput ? (JSON.parse(failedInput) as { functionName?: string; alias?: string }) : undefined);
      // An ECS release: the routes its deployment changed and the service's task sets, as a scenario reports them.
      const ecs = last?.deployment && "ecs" in last.deployment ? ecsOutcome(account) : undefined;
      const all = [...releaseReports, ...deployReports];
      const sum = (k: "stateTransitions" | "historyEvents" | "apiCallsTotal" | "lambdaInvocations" | "estimatedCostUsd") => all.reduce((n, r) => n + r.stats[k], 0);
      const report: ReleaseRunReport = {
        scenario: scenario.name,
        trigger: scenario.triggerFile ?? "(inline event)",
        actions,
        routing,
        dispatch,
        releases: releaseReports.map((r) => ({ name: r.executionName, status: r.status, error: r.error, cause: readableCause(r.cause), output: r.output })),
        deployments: deployReports.map((r) => ({ name: r.executionName, status: r.status, error: r.error, cause: readableCause(r.cause) })),
        publishedVersions: account.calls.filter((c) => c.operation === "PublishVersion" && c.ok).map((c) => /v(\d+)$/.exec(String(c.summary))?.[1] ?? "?"),
        finalAlias: target?.functionName && target.alias ? account.getAlias(target.functionName, target.alias) : undefined,
        ...(ecs ? { finalRoutes: ecs.routes, taskSets: ecs.taskSets } : {}),
        events: account.events.map((e) => `${e.detailType === RELEASE_DETAIL_TYPE ? "release " : ""}${String((e.detail as { state?: string }).state ?? e.detailType)}`),
        updatedFunctions: account.calls.filter((c) => c.operation === "UpdateFunctionCode" && c.ok).map((c) => String(c.summary).split(/[\s:]/)[0] ?? ""),
        failedCalls: account.callCounts((c) => !c.ok),
        stats: {
          stateTransitions: sum("stateTransitions"),
          historyEvents: sum("historyEvents"),
          apiCallsTotal: sum("apiCallsTotal"),
          lambdaInvocations: sum("lambdaInvocations") + world.runtime.backgroundInvocations,
          estimatedCostUsd: Number(sum("estimatedCostUsd").toFixed(6)),
          simulatedSeconds: world.clock.elapsedSeconds() - simStart,
          wallMs: Math.round(performance.now() - wallStart),
        },
      };
      if (scenario.expect) report.expectationFailures = checkRelease(scenario, report);
      return report;
    });
  } finally {
    if (scenario.sources) {
      if (saved === undefined) delete process.env.RELEASE_SOURCES;
      else process.env.RELEASE_SOURCES = saved;
    }
    await world.close();
  }
}

export function checkRelease(scenario: ReleaseScenario, r: ReleaseRunReport): string[] {
  const e = scenario.expect;
  if (!e) return [];
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (e.releases !== r.releases.length) out.push(`releases: expected ${e.releases}, got ${r.releases.length}`);
  const last = r.releases.at(-1);
  if (e.status && e.status !== last?.status) out.push(`status: expected ${e.status}, got ${last?.status}`);
  if (e.error !== undefined && e.error !== last?.error) out.push(`error: expected ${e.error}, got ${last?.error}`);
  const outcome = (last?.output as { outcome?: string } | undefined)?.outcome;
  if (e.outcome !== undefined && e.outcome !== outcome) out.push(`outcome: expected ${e.outcome}, got ${outcome}`);
  if (e.publishedVersion !== undefined && !same(e.publishedVersion === null ? [] : [e.publishedVersion], r.publishedVersions)) {
    out.push(`publishedVersion: expected ${e.publishedVersion}, got ${JSON.stringify(r.publishedVersions)}`);
  }
  if (e.finalAlias) {
    const got = r.finalAlias && { functionVersion: r.finalAlias.functionVersion, additionalVersionWeights: r.finalAlias.additionalVersionWeights };
    if (!same(e.finalAlias, got)) out.push(`finalAlias: expected ${JSON.stringify(e.finalAlias)}, got ${JSON.stringify(got)}`);
  }
  if (e.events && !same(e.events, r.events)) out.push(`events: expected ${JSON.stringify(e.events)}, got ${JSON.stringify(r.events)}`);
  if (e.updatedFunctions && !same(e.updatedFunctions, r.updatedFunctions)) out.push(`updatedFunctions: expected ${JSON.stringify(e.updatedFunctions)}, got ${JSON.stringify(r.updatedFunctions)}`);
  return out;
}
