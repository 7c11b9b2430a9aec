import { GetAliasCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { newDeploymentId } from "../../functions/domain/deployment/ids.js";
import { useClock } from "../../functions/lib/clock.js";
import { SimClock } from "../clock.js";
import { type ExecutionReport, LocalRuntime } from "../runtime/runtime.js";
import { withAwsEndpoint } from "../simulate/endpoint-env.js";
import { PROJECT_ROOT } from "../simulate/run-scenario.js";

/**
 * `stepdeploy run`: the same workflow and handlers as `simulate`, executed locally against any
 * AWS-compatible endpoint (LocalStack, moto, the simulated account served over HTTP, or AWS itself
 * when no endpoint is given) where the function, versions, alias, alarms and bus already exist.
 * Region and credentials come from the standard AWS environment.
 */
export interface RunReport {
  status: ExecutionReport["status"];
  error?: string;
  cause?: string;
  deploymentId: string;
  finalAlias?: { functionVersion: string; additionalVersionWeights: Record<string, number> };
  timeline: { atSeconds: number; weight: number }[];
  events: { atSeconds: number; detail: Record<string, unknown> }[];
  stats: ExecutionReport["stats"];
}

export async function runInput(
  input: Record<string, unknown>,
  opts: { endpoint?: string; dynamoDbEndpoint?: string; realTime?: boolean; machine?: string; root?: string; onProgress?: (line: string) => void } = {},
): Promise<RunReport> {
  const deploymentId = (input.deploymentId as string | undefined) ?? newDeploymentId();
  // A local run cannot receive the endpoint's alarm events or task-token callbacks, so unless the
  // input says otherwise it watches alarms by polling.
  input = { alarmMonitoring: "polling", ...input };
  return withAwsEndpoint(
    opts.endpoint,
    async () => {
      const clock = new SimClock(Date.now());
      const restoreClock = useClock(() => clock.now());
      const runtime = new LocalRuntime(opts.root ?? PROJECT_ROOT, clock, { realTime: opts.realTime });
      const exec = runtime.start(opts.machine ?? "deploy-lambda", { ...input, deploymentId }, {
        executionName: deploymentId,
        onTrace: (t) => t.kind === "entered" && opts.onProgress?.(`t+${Math.round(t.atSeconds)}s ${t.state}`),
      });
      const result = await exec.result.finally(restoreClock);
      const timeline: RunReport["timeline"] = [];
      const events: RunReport["events"] = [];
      for (const c of result.integrationCalls) {
        if (!c.ok) continue;
        const p = c.params as Record<string, unknown>;
        // Traffic moves in ShiftTraffic (the weight it wrote) and RollBack (back to 0 when it restored).
        const answer = (c.result as { Payload?: { weight?: number; step?: number; rollback?: boolean } } | undefined)?.Payload;
        if (c.state === "ShiftTraffic" && (timeline.at(-1)?.weight !== answer?.weight || timeline.length === 0)) timeline.push({ atSeconds: c.atSeconds, weight: Number(answer?.weight) });
        if (c.state === "RollBack" && answer?.rollback === true) timeline.push({ atSeconds: c.atSeconds, weight: 0 });
        if (c.resource.endsWith(":events:putEvents")) {
          for (const e of (p.Entries ?? []) as { Detail?: unknown }[]) {
            events.push({ atSeconds: c.atSeconds, detail: (typeof e.Detail === "string" ? JSON.parse(e.Detail) : e.Detail) as Record<string, unknown> });
          }
        }
      }
      let finalAlias: RunReport["finalAlias"];
      try {
        const a = await new LambdaClient({}).send(new GetAliasCommand({ FunctionName: String(input.functionName), Name: String(input.alias) }));
        finalAlias = { functionVersion: a.FunctionVersion ?? "", additionalVersionWeights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
      } catch {
        finalAlias = undefined;
      }
      return { status: result.status, error: result.error, cause: result.cause, deploymentId, finalAlias, timeline, events, stats: result.stats };
    },
    { simulatedCredentials: false, dynamoDbEndpoint: opts.dynamoDbEndpoint },
  );
}
