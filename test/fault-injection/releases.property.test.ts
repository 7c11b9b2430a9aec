import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReleaseScenario } from "../../local/simulate/release/scenario.js";
import { type ReleaseRunReport, simulateRelease } from "../../local/simulate/release/run-release.js";

/**
 * Fault injection for releases: random triggers (S3 bundle with or without a code package, ECR
 * push), random duplicate deliveries, random AWS faults on every call a release makes (throttling,
 * 5xx, dropped connections on UpdateFunctionCode, GetFunctionConfiguration, PublishVersion,
 * StartExecution, DescribeExecution, GetAlias, UpdateAlias), slow code updates and alarms.
 *
 * Some uploads are hostile: their appspec names a function the source does not own (billing).
 *
 * Invariants:
 * - one release per upload or image, however often the event is delivered;
 * - code changes only on a function the release source owns; a hostile upload is refused with
 *   Release.TargetNotAllowed and changes nothing;
 * - at most one nested deployment, and only with a release that got that far;
 * - the alias ends fully on the new version (release SUCCEEDED, DEPLOYED) or fully where it was;
 *   never split;
 * - a published version carries exactly the uploaded code (PublishVersion is pinned to CodeSha256);
 * - every deployment that started has exactly one terminal event.
 */
const RUNS = Number(process.env.RELEASE_FAULT_RUNS ?? 100);
const ev = (name: string) => fileURLToPath(new URL(`../../events/triggers/${name}`, import.meta.url));
const bundle = (name: string) => fileURLToPath(new URL(`../../events/bundles/${name}`, import.meta.url));
import { readFileSync } from "node:fs";
const world = JSON.parse(readFileSync(new URL("../../events/releases/world.json", import.meta.url), "utf8"));

const OPERATIONS = ["Lambda.UpdateFunctionCode", "Lambda.GetFunctionConfiguration", "Lambda.PublishVersion", "Lambda.GetAlias", "Lambda.UpdateAlias", "SFN.StartExecution", "SFN.DescribeExecution", "CloudWatch.DescribeAlarms"];
const fault = fc.record({
  operation: fc.constantFrom(...OPERATIONS),
  kind: fc.constantFrom("throttle" as const, "5xx" as const, "timeout" as const),
  count: fc.integer({ min: 1, max: 4 }),
  // Half of the faults land in the first seconds, where the release itself (not the deployment) runs.
  atSeconds: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 400 })),
});

const scenarioArb = fc
  .record({
    trigger: fc.constantFrom("s3-code", "s3-no-code", "ecr", "s3-other-function"),
    deliveries: fc.integer({ min: 1, max: 3 }),
    config: fc.constantFrom("CodeDeployDefault.LambdaAllAtOnce", "CodeDeployDefault.LambdaCanary10Percent5Minutes", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"),
    codeUpdateSeconds: fc.integer({ min: 0, max: 30 }),
    alarmAt: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    faults: fc.array(fault, { maxLength: 3 }),
  })
  .map((p): ReleaseScenario => {
    const functions = (world.functions as Record<string, unknown>[]).map((f) => ({ ...f, codeUpdateSeconds: p.codeUpdateSeconds }));
    const sources = JSON.parse(readFileSync(new URL("../../config/releases.local.json", import.meta.url), "utf8")).sources.map((s: Record<string, unknown>) => ({
      ...s,
      deployment: { ...(s.deployment as object), deploymentConfig: p.config, alarms: ["orders-errors"] },
    }));
    const t = p.trigger;
    return {
      name: `release-fault-${t}`,
      account: { ...world, functions, alarms: [{ name: "orders-errors", state: "OK" }], faults: [] },
      trigger: JSON.parse(readFileSync(ev(t === "ecr" ? "ecr-push-success.json" : "s3-object-created.json"), "utf8")),
      bundleDir: t === "ecr" ? undefined : bundle({ "s3-code": "orders-api", "s3-no-code": "orders-api-no-code", "s3-other-function": "orders-api-targets-billing" }[t]),
      deliveries: p.deliveries,
      sources,
      timeline: [
        ...p.faults.map((f) => ({ atSeconds: f.atSeconds, fault: { operation: f.operation, kind: f.kind, count: f.count, holdMs: 5 } })),
        ...(p.alarmAt === undefined ? [] : [{ atSeconds: p.alarmAt, alarm: "orders-errors", state: "ALARM" }]),
      ],
    };
  });

function violations(s: ReleaseScenario, r: ReleaseRunReport): string[] {
  const out: string[] = [];
  if (r.releases.length !== 1) out.push(`${r.releases.length} releases for one upload delivered ${s.deliveries} time(s)`);
  if (r.deployments.length > 1) out.push(`${r.deployments.length} nested deployments`);
  const rel = r.releases[0];
  const a = r.finalAlias;
  if (a && Object.keys(a.additionalVersionWeights).length > 0) out.push(`alias left split: ${JSON.stringify(a)}`);
  const output = rel?.output as { outcome?: string; deployment?: { targetVersion?: string; currentVersion?: string } } | undefined;
  const oldVersion = a?.functionName === "orders" ? "3" : "1";
  if (a) {
    if (rel?.status === "SUCCEEDED" && output?.outcome === "DEPLOYED" && a.functionVersion !== output.deployment?.targetVersion) out.push(`succeeded but alias on ${a.functionVersion}`);
    if (rel?.status !== "SUCCEEDED" && a.functionVersion !== oldVersion) out.push(`release ${rel?.status} ${rel?.error} but alias on ${a.functionVersion}, not ${oldVersion}`);
  }
  if (r.publishedVersions.length > 1) out.push(`published ${r.publishedVersions.length} versions`);
  const owned = new Set((s.sources as { functions?: { name: string }[]; function?: { name: string } }[]).flatMap((x) => [...(x.functions ?? []), ...(x.function ? [x.function] : [])].map((f) => f.name)));
  const foreign = r.updatedFunctions.filter((f) => !owned.has(f));
  if (foreign.length) out.push(`code changed on ${foreign.join(", ")}, which no release source owns`);
  if (s.name.endsWith("s3-other-function") && (rel?.error !== "Release.TargetNotAllowed" || r.updatedFunctions.length || r.publishedVersions.length)) {
    out.push(`a hostile upload ended ${rel?.status} ${rel?.error}, updated ${JSON.stringify(r.updatedFunctions)}, published ${JSON.stringify(r.publishedVersions)}`);
  }
  const starts = r.events.filter((e) => e === "START").length;
  const ends = r.events.filter((e) => ["SUCCESS", "FAILURE", "STOP"].includes(e)).length;
  if (starts !== ends || starts > 1) out.push(`events ${JSON.stringify(r.events)}`);
  return out;
}

describe("release fault injection", () => {
  it(`${RUNS} random releases keep every invariant`, async () => {
    const outcomes = new Map<string, number>();
    let bad = 0;
    const failedCalls = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const r = await simulateRelease(scenario);
        const rel = r.releases[0];
        const key = `${rel?.status ?? "none"} ${rel?.error ?? (rel?.output as { outcome?: string } | undefined)?.outcome ?? ""}`.trim();
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        for (const [op, n] of Object.entries(r.failedCalls)) failedCalls.set(op, (failedCalls.get(op) ?? 0) + n);
        const v = violations(scenario, r);
        if (v.length) bad += 1;
        expect(v, JSON.stringify({ timeline: scenario.timeline, trigger: scenario.bundleDir ?? "ecr", deliveries: scenario.deliveries, releases: r.releases.map((x) => ({ ...x, output: undefined })), deployments: r.deployments })).toEqual([]);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`release fault injection: ${RUNS} runs, ${bad} invariant violations; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; failed calls absorbed ${JSON.stringify(Object.fromEntries(failedCalls))}`);
    expect(outcomes.size).toBeGreaterThan(1);
  }, 900_000);
});
