import { ElasticBeanstalkClient } from "@aws-sdk/client-elastic-beanstalk";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createElasticBeanstalkAdapter } from "../../../functions/adapters/elastic-beanstalk.js";
import { environmentVerdict, versionLabel } from "../../../functions/domain/pipeline/execution/elastic-beanstalk.js";
import type { DeclaredAction } from "../../../functions/services/pipeline/actions.js";
import { type BeanstalkAnswer, type BeanstalkDeployDeps, pollBeanstalkDeploy, startBeanstalkDeploy } from "../../../functions/services/pipeline/beanstalk-deploy.js";
import { elasticBeanstalkWorldOf } from "../../../local/account/elasticbeanstalk/index.js";
import { FakeArtifactStore } from "../../support/fakes/artifact-store.js";
import { type Harness, startAccount } from "../account/helpers.js";

/**
 * The ElasticBeanstalk deploy action through the real adapter on the simulated Elastic Beanstalk,
 * called as the compiled poll loop calls it.
 */
const INPUT = { name: "WebApp", bucket: "art", key: "p/WebApp/abc.zip" };
const action = (configuration: Record<string, string> = {}): DeclaredAction =>
  ({ stage: "Deploy", name: "Web", actionTypeId: { category: "Deploy", owner: "AWS", provider: "ElasticBeanstalk", version: "1" }, configuration: { ApplicationName: "orders-web", EnvironmentName: "orders-web-prod", ...configuration }, inputArtifacts: ["WebApp"], outputArtifacts: [], runOrder: 1 }) as never;

let h: Harness;
let client: ElasticBeanstalkClient;
let artifacts: FakeArtifactStore;
let deps: BeanstalkDeployDeps;

beforeEach(async () => {
  h = await startAccount({ elasticbeanstalk: { applications: [{ name: "orders-web", environments: [{ name: "orders-web-prod", versionLabel: "v1", deploySeconds: 40, failDeployments: [2] }] }] } });
  client = new ElasticBeanstalkClient({ ...h.config, maxAttempts: 1 });
  artifacts = new FakeArtifactStore();
  artifacts.put(INPUT.bucket, INPUT.key, "zip-bytes");
  deps = { artifacts, elasticBeanstalk: createElasticBeanstalkAdapter(client), clock: { nowMs: () => h.clock.now() }, config: { region: "us-east-1", account: "123456789012" } };
});
afterEach(async () => {
  client.destroy();
  await h.close();
});

async function run(a = action()): Promise<BeanstalkAnswer & { polls: number }> {
  let answer = await startBeanstalkDeploy(deps, a, { configuration: a.configuration, inputs: [INPUT], outputs: [], deadlineMs: h.clock.now() + 3600_000 });
  let polls = 0;
  while (!answer.done) {
    h.clock.advance(answer.nextPollSeconds);
    answer = await pollBeanstalkDeploy(deps, a, answer.state);
    polls += 1;
  }
  return { ...answer, polls };
}

describe("the ElasticBeanstalk deploy action on the simulated Elastic Beanstalk", () => {
  it("copies the artifact to EB's storage bucket, makes it a version, updates the environment and succeeds once it is Ready on it", async () => {
    const label = versionLabel(INPUT);
    const done = await run();
    expect([done.polls, done.state.summary]).toEqual([3, `environment orders-web-prod runs ${label} (health Green)`]);
    expect(artifacts.text("elasticbeanstalk-us-east-1-123456789012", `orders-web/${label}.zip`)).toBe("zip-bytes");
    expect(elasticBeanstalkWorldOf(h.account)?.applications.get("orders-web")?.versions.get(label)).toMatchObject({ bucket: "elasticbeanstalk-us-east-1-123456789012", key: `orders-web/${label}.zip` });
  });

  it("a failed deployment fails the action with the first ERROR event; an unknown environment fails before anything is made", async () => {
    await run();
    artifacts.put("art", "p/WebApp/def.zip", "v3");
    const a = action();
    let answer = await startBeanstalkDeploy(deps, a, { configuration: a.configuration, inputs: [{ ...INPUT, key: "p/WebApp/def.zip" }], outputs: [] });
    await expect(
      (async () => {
        for (;;) {
          h.clock.advance(answer.nextPollSeconds);
          answer = await pollBeanstalkDeploy(deps, a, answer.state);
        }
      })(),
    ).rejects.toThrow(/^Deploy\.Web: environment orders-web-prod: \[Instance: i-0[0-9a-f]+\] Command failed on instance\. Return code: 1/);
    await expect(run(action({ EnvironmentName: "orders-web-nope" }))).rejects.toThrow("Deploy.Web: application orders-web has no environment orders-web-nope");
  });
});

describe("environment verdicts", () => {
  const env = (status: string, health = "Green", versionLabel = "L") => ({ name: "e", status, health, versionLabel });
  const err = (atMs: number, message: string) => ({ atMs, severity: "ERROR", message });
  it.each([
    ["Updating", env("Updating"), [], "wait"],
    ["Ready on the label", env("Ready"), [], "succeeded"],
    ["Ready, Red", env("Ready", "Red"), [], "failed"],
    ["Ready on another version", env("Ready", "Green", "old"), [], "failed"],
    ["Ready with an ERROR event", env("Ready"), [err(1, "boom")], "failed"],
    ["Terminated", env("Terminated"), [], "failed"],
    ["gone", undefined, [], "failed"],
  ] as const)("%s", (_n, e, events, kind) => expect(environmentVerdict(e, "L", [...events], 0, 1000).kind).toBe(kind));
  it("the oldest ERROR event is the reason (events come newest first; ties keep EB's order); Updating past the deadline fails", () => {
    expect(environmentVerdict(env("Ready", "Red"), "L", [err(5, "summary"), err(5, "failed to deploy"), err(5, "command failed"), err(1, "older")], 0, 1)).toMatchObject({ reason: expect.stringMatching(/^environment e: older \(3 more/) });
    expect(environmentVerdict(env("Ready", "Red"), "L", [err(5, "c"), err(5, "b"), err(5, "a")], 0, 1)).toMatchObject({ reason: expect.stringMatching(/^environment e: a /) });
    expect(environmentVerdict(env("Updating"), "L", [], 1000, 1000)).toMatchObject({ kind: "failed" });
  });
  it("an update before its deadline is waited for; a Ready environment with an ERROR event never succeeds", () => {
    const event = fc.record({ atMs: fc.nat(100), severity: fc.constantFrom("INFO", "WARN", "ERROR", "FATAL"), message: fc.string() });
    fc.assert(
      fc.property(fc.constantFrom("Updating", "Launching", "Ready", "Terminating"), fc.constantFrom("Green", "Yellow", "Red", "Grey"), fc.array(event, { maxLength: 6 }), fc.nat(2000), (status, health, events, now) => {
        const v = environmentVerdict(env(status, health), "L", events, now, 1000);
        if ((status === "Updating" || status === "Launching") && now < 1000) expect(v.kind).toBe("wait");
        if (events.some((e) => e.severity === "ERROR" || e.severity === "FATAL") || health === "Red") expect(v.kind).not.toBe("succeeded");
      }),
    );
  });
  it("version labels: fit in 100 characters, stable for one artifact, distinct for two", () => {
    const long = { ...INPUT, name: "A".repeat(100) };
    expect(versionLabel(long).length).toBeLessThanOrEqual(100);
    expect(versionLabel(INPUT)).toBe(versionLabel({ ...INPUT }));
    expect(versionLabel(INPUT)).not.toBe(versionLabel({ ...INPUT, key: "p/WebApp/other.zip" }));
  });
});
