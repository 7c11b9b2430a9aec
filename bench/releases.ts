import { fileURLToPath } from "node:url";
import { simulateRelease } from "../local/simulate/release/run-release.js";
import { loadReleaseScenario } from "../local/simulate/release/scenario.js";

/**
 * One run of each release scenario in events/releases: the release execution and its nested
 * deployment together (transitions, history events, API calls, Lambda invocations and cost are
 * summed over both executions; history events are also given per execution, against the cap).
 */
const SCENARIOS = ["s3-canary", "s3-appspec-target-version", "s3-duplicate-delivery", "ecr-push", "ecr-push-ecs", "s3-alarm-rolls-back", "s3-invalid-appspec"];

export async function benchReleases(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const name of SCENARIOS) {
    const file = fileURLToPath(new URL(`../events/releases/${name}.json`, import.meta.url));
    const r = await simulateRelease(loadReleaseScenario(file));
    const rel = r.releases[0];
    rows.push({
      scenario: name,
      outcome: `${rel?.status ?? "none"}${rel?.error ? ` ${rel.error}` : ""}`,
      releases: r.releases.length,
      published: r.publishedVersions.map((v) => `v${v}`).join(", ") || "-",
      simulatedSeconds: r.stats.simulatedSeconds,
      stateTransitions: r.stats.stateTransitions,
      historyEvents: r.stats.historyEvents,
      apiCalls: r.stats.apiCallsTotal,
      lambdaInvocations: r.stats.lambdaInvocations,
      estimatedCostUsd: r.stats.estimatedCostUsd,
      wallMs: r.stats.wallMs,
    });
  }
  return rows;
}
