import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { launchDeploymentIdOf } from "../../functions/services/server/launch.js";
import { autoScalingWorldOf } from "../../local/account/autoscaling/index.js";
import type { InProcessServer } from "../../local/account/shared/transport/in-process.js";
import { LOCAL_NETWORK } from "../../local/simulate/network.js";
import { loadServerScenario, openServerWorld, type ServerWorld } from "../../local/simulate/server.js";

/**
 * The simulated clock is a cooperative scheduler (local/clock.ts): time moves only when every execution waits. So a
 * scenario's outcome must not depend on how long an API call takes in wall time. Here every StartExecution is answered
 * after 25 wall milliseconds (a loaded machine, or a real network): a `.sync` Task's StartExecution of its child used to
 * leave a gap (the parent already waiting, the child not started yet) in which another execution moved time on. In
 * events/server/launch-deployment-fails that let the scale-in at 60 s overtake the launch deployment's batch, which then
 * waited for a command on a terminated instance until its timeout (201 transitions, 15 simulated minutes, instead of 24).
 */
let w: ServerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const GROUP_ID = "2ec38add-e001-5acc-b058-8eddd53ece7e";
const FOURTH = "i-0a500000000000004";

/** Serves the world's account again behind a transport that answers StartExecution `ms` wall milliseconds late. */
function slowStartExecution(sw: ServerWorld, ms: number): void {
  const name = new URL(sw.world.endpoint).hostname.split(".")[0]!;
  const route = sw.world.account.route;
  const slow: InProcessServer = async (req) => {
    if (req.headers["x-amz-target"] === "AWSStepFunctions.StartExecution") await sleep(ms);
    return route(req);
  };
  LOCAL_NETWORK.attach(name, slow);
}

describe("the scheduler does not depend on wall-clock latency (events/server/launch-deployment-fails)", { timeout: 120_000 }, () => {
  it("with StartExecution answered late, the launch deployment still fails at 55 s, before the scale-in at 60 s", async () => {
    const scenario = loadServerScenario("launch-deployment-fails");
    w = await openServerWorld(scenario);
    const sw = w;
    slowStartExecution(sw, 25);
    const [v1, v2] = scenario.deployments;
    expect((await sw.deploy(v1!)).status).toBe("SUCCEEDED");
    const t0 = sw.world.clock.elapsedSeconds();
    const startMs = sw.world.clock.now() - t0 * 1000;
    expect((await sw.deploy(v2!)).status).toBe("SUCCEEDED");
    const launch = await sw.follow(launchDeploymentIdOf(GROUP_ID, FOURTH));
    const completions = autoScalingWorldOf(sw.world.account).completions.map((c) => `${c.instanceId} ${c.result} by ${c.by} at ${(c.atMs - startMs) / 1000 - t0}`);
    expect(completions).toEqual([`${FOURTH} ABANDON by CompleteLifecycleAction at 55`]);
    expect({ status: launch.status, error: launch.error, commands: launch.commands, transitions: launch.stats.stateTransitions, seconds: launch.stats.simulatedSeconds }).toEqual({
      status: "FAILED",
      error: "Deploy.HealthConstraints",
      commands: [[FOURTH]],
      transitions: 24,
      seconds: 15,
    });
    // every batch execution started in the simulated second its parent's Task asked for it
    for (const e of sw.world.account.sfn.executions.filter((x) => x.name.includes("-batch-"))) {
      const parent = await sw.world.wired.finished(sw.world.account.sfn.executions.find((p) => e.name.startsWith(`${p.name}-batch-`))!.executionArn);
      const asked = parent.integrationCalls.find((c) => c.state === "DeployBatch" && (c.params as { Name?: string }).Name === e.name);
      expect(e.startedAtSeconds, e.name).toBe(asked?.atSeconds);
    }
  });
});
