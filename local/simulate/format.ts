import type { SimulationReport, TimelineEntry } from "./run-scenario.js";

export function clockText(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  return h ? `${h}:${mm}` : mm;
}

const ICON: Record<TimelineEntry["kind"], string> = {
  weight: "traffic",
  "alarm-check": "alarms ",
  hook: "hook   ",
  event: "event  ",
  state: "state  ",
  retry: "retry  ",
  world: "world  ",
};

export function formatLogLine(e: TimelineEntry): string {
  return `  t+${clockText(e.atSeconds).padStart(7)}  ${ICON[e.kind]}  ${e.text}`;
}

export function formatOutcome(r: SimulationReport): string {
  const lines = [
    "",
    `  outcome   ${r.status}${r.error ? ` ${r.error}` : ""} (${r.deploymentId})`,
    ...(r.cause ? [`  reason    ${r.cause}`] : []),
    ...(r.ecs
      ? [
          ...Object.entries(r.ecs.routes).map(([route, w]) => `  route     ${route} -> ${JSON.stringify(w)}${route === r.ecs?.prodRoute ? " (production)" : ""}`),
          `  task sets ${r.ecs.taskSets.map((t) => `${t.taskDefinition} ${t.status}`).join(", ") || "none"}`,
        ]
      : [r.finalAlias ? `  alias     FunctionVersion ${r.finalAlias.functionVersion}, routing ${JSON.stringify(r.finalAlias.additionalVersionWeights)}` : "  alias     none"]),
    ...(r.missing ?? []).map((m) => `  missing   ${m}`),
    `  cost      ${r.stats.stateTransitions} transitions, ${r.stats.historyEvents} history events, ${r.stats.apiCallsTotal} API calls, ${r.stats.lambdaInvocations} Lambda invocations (+${r.stats.hookInvocations} hooks), ~$${r.stats.estimatedCostUsd.toFixed(6)}`,
    `  time      ${clockText(r.stats.simulatedSeconds)} simulated in ${r.stats.wallMs} ms`,
  ];
  if (r.expectationFailures) {
    lines.push(r.expectationFailures.length ? `  expect    NOT MET: ${r.expectationFailures.join("; ")}` : "  expect    met");
  }
  return lines.join("\n");
}
