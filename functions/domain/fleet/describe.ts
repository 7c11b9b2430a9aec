import type { FleetPlan } from "./plan.js";

/** The plan as `stepdeploy schedule <server config> --instances N` prints it for humans. */
export function describeFleetPlan(plan: FleetPlan): string[] {
  const { type, value } = plan.minimumHealthyHosts;
  const { instances, minHealthy, batches } = plan;
  const lines = [
    `${plan.config}: minimum healthy hosts ${type} ${value} -> ${minHealthy} of ${instances} instance${instances === 1 ? "" : "s"} must stay healthy`,
    "",
  ];
  let done = 0;
  batches.forEach((size, k) => {
    lines.push(`  batch ${String(k + 1).padStart(String(batches.length).length)}: ${size} instance${size === 1 ? "" : "s"} (${done + 1}-${done + size})`);
    done += size;
  });
  lines.push("");
  const needed = Math.max(minHealthy, 1);
  lines.push(`Succeeds if at least ${needed} instance${needed === 1 ? "" : "s"} succeed; stops (HEALTH_CONSTRAINTS) as soon as another batch would leave fewer than ${minHealthy} healthy.`);
  if (type === "MOST_CONCURRENCY" && instances > 1) lines.push("OneAtATime: a failure on the last instance still succeeds; a failure on any other stops the deployment.");
  lines.push("Batches shrink after a failure (batch size = healthy - minimum); order: unhealthy instances first, then unknown, old, current revision.");
  return lines;
}
