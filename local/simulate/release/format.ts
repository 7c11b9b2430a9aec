import { readableCause } from "../after-run.js";
import { clockText } from "../format.js";
import type { ReleaseRunReport } from "./run-release.js";

/** The human summary of a release simulation (`stepdeploy simulate events/releases/*.json`). */
export function formatReleaseOutcome(r: ReleaseRunReport): string {
  const lines = ["", `  routing   ${r.routing}`, ...r.dispatch.map((d) => `  dispatch  ${d}`)];
  if (r.releases.length === 0) lines.push("  releases  none started");
  for (const rel of r.releases) {
    type Deployment = { functionName?: string; alias?: string; currentVersion?: string; targetVersion?: string; ecs?: { cluster: string; service: string }; revision?: { taskDefinition?: string } };
    const out = rel.output as { outcome?: string; deployment?: Deployment; notes?: string[]; reason?: string } | undefined;
    lines.push(`  release   ${rel.name}: ${rel.status}${rel.error ? ` ${rel.error}` : ""}${out?.outcome ? ` (${out.outcome})` : ""}`);
    const d = out?.deployment;
    if (d?.ecs) lines.push(`  deploy    ECS service ${d.ecs.cluster}/${d.ecs.service} -> ${d.revision?.taskDefinition?.split("/").pop()}`);
    else if (d) lines.push(`  deploy    ${d.functionName}:${d.alias} v${d.currentVersion} -> v${d.targetVersion}`);
    for (const note of out?.notes ?? []) lines.push(`  chose     ${note}`);
    if (out?.reason) lines.push(`  reason    ${out.reason}`);
    if (rel.cause && rel.status !== "SUCCEEDED") lines.push(`  cause     ${readableCause(rel.cause)}`);
  }
  for (const d of r.deployments) lines.push(`  nested    ${d.name}: ${d.status}${d.error ? ` ${d.error}` : ""}`);
  if (!r.taskSets) lines.push(`  published ${r.publishedVersions.length ? r.publishedVersions.map((v) => `v${v}`).join(", ") : "nothing"}`);
  for (const [route, weights] of Object.entries(r.finalRoutes ?? {})) lines.push(`  route     ${route} forwards ${Object.entries(weights ?? {}).map(([tg, w]) => `${tg}=${w}`).join(", ")}`);
  if (r.taskSets) lines.push(`  tasks     ${r.taskSets.map((t) => `${t.taskDefinition} ${t.status}`).join(", ") || "no task sets"}`);
  if (r.finalAlias) lines.push(`  alias     ${r.finalAlias.functionName}:${r.finalAlias.alias} FunctionVersion ${r.finalAlias.functionVersion}, routing ${JSON.stringify(r.finalAlias.additionalVersionWeights)}`);
  lines.push(`  events    ${r.events.join(", ") || "none"}`);
  const s = r.stats;
  lines.push(`  cost      ${s.stateTransitions} transitions, ${s.historyEvents} history events, ${s.apiCallsTotal} API calls, ${s.lambdaInvocations} Lambda invocations, ~$${s.estimatedCostUsd.toFixed(6)}`);
  lines.push(`  time      ${clockText(s.simulatedSeconds)} simulated in ${s.wallMs} ms`);
  if (r.expectationFailures) lines.push(r.expectationFailures.length ? `  expect    NOT MET: ${r.expectationFailures.join("; ")}` : "  expect    met");
  return lines.join("\n");
}
