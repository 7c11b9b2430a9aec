import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGroups } from "../../../functions/domain/groups/index.js";
import { releaseSourcesOfGroups } from "../../../functions/domain/groups/releases.js";
import { parseReleaseSources } from "../../../functions/domain/release/index.js";
import { stageReleaseSources } from "../../../functions/lib/release-input.js";
import { problemsOf } from "../../support/problems.js";
import { canary25, ordersApp } from "./helpers.js";

const require = createRequire(import.meta.url);
const groupsConfig = require("../../../config/groups.cjs") as { forStage(stage: string): { groupsJson: string } };
const releasesConfig = require("../../../config/releases.cjs") as { forStage(stage: string): { sourcesJson: string }; MAX_RELEASE_ENV_BYTES: number };
const localEnv = () => ({ RELEASE_SOURCES: releasesConfig.forStage("local").sourcesJson, DEPLOYMENT_GROUPS: groupsConfig.forStage("local").groupsJson });

const problems = (fn: () => unknown) => problemsOf("Release.InvalidConfiguration", fn);

describe("a deployment group's release section is a release source", () => {
  it("carries the group's target, hooks and deployment settings (custom config resolved)", () => {
    const groups = parseGroups(
      ordersApp(
        {
          prod: {
            target: { functionName: "orders", alias: "live" },
            deploymentConfigName: "Canary25",
            hooks: { beforeAllowTraffic: "CodeDeployHook_pre", timeoutSeconds: 600 },
            alarmConfiguration: { alarms: ["orders-errors", { name: "orders-latency" }], ignorePollAlarmFailure: true },
            autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
            alarmMonitoring: "polling",
            alarmPollSeconds: 30,
            release: { name: "orders", s3: { bucket: "orders-releases", prefix: "orders/" }, codePackage: "build/code.zip" },
          },
          images: { target: { functionName: "thumbs", alias: "live" }, release: { name: "thumbs", ecr: { repository: "media/thumbs" } } },
          plain: { target: { functionName: "orders", alias: "beta" } },
        },
        canary25,
      ),
    );
    const [s3, ecr, ...rest] = releaseSourcesOfGroups(groups);
    expect(rest).toEqual([]);
    expect(s3?.at).toBe("applications.orders-app.deploymentGroups.prod.release");
    expect(s3?.source).toMatchObject({
      name: "orders",
      application: "orders-app",
      deploymentGroup: "prod",
      s3: { bucket: "orders-releases", prefix: "orders/" },
      functions: [{ name: "orders", alias: "live" }],
      codePackage: "build/code.zip",
      hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: null },
      deployment: {
        deploymentConfig: { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 } } },
        alarms: ["orders-errors", "orders-latency"],
        ignorePollAlarmFailure: true,
        alarmMonitoring: "polling",
        alarmPollSeconds: 30,
        hookTimeoutSeconds: 600,
      },
    });
    expect(ecr?.source).toMatchObject({ name: "thumbs", ecr: { repository: "media/thumbs", tag: "latest" }, function: { name: "thumbs", alias: "live" }, deployment: { deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce", alarms: [] } });
    // The copy a release execution carries parses back to the same source (configuredSource compares the two).
    for (const l of [s3, ecr]) expect(parseReleaseSources([JSON.parse(JSON.stringify(l?.source))])).toEqual([l?.source]);
  });

  it("the local stage: config/releases.local.json and the orders-beta group's release, one list", () => {
    const sources = stageReleaseSources(localEnv());
    expect(sources.map((s) => s.name)).toEqual(["orders-api", "thumbnailer", "orders-beta", "web"]);
    // The ECS group's release carries the group's deploy-ecs settings and the release's container.
    expect(sources[3]).toMatchObject({
      platform: "ecs",
      application: "web-app",
      deploymentGroup: "web-prod",
      ecr: { repository: "web", tag: "release" },
      deployment: { ecs: { cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], containerName: "web", containerPort: 80 }, deploymentConfig: "CodeDeployDefault.ECSCanary10Percent5Minutes", blueGreen: { terminationWaitMinutes: 5 }, alarms: ["web-5xx"] },
    });
    expect(sources[2]).toMatchObject({ application: "shop", deploymentGroup: "orders-beta", s3: { bucket: "orders-releases", prefix: "orders-beta/" }, functions: [{ name: "orders", alias: "beta" }] });
    // Both lists, with the other functions' variables, fit in a function's 4 KB environment.
    const env = localEnv();
    expect(Buffer.byteLength(env.RELEASE_SOURCES) + Buffer.byteLength(env.DEPLOYMENT_GROUPS)).toBeLessThanOrEqual(releasesConfig.MAX_RELEASE_ENV_BYTES);
  });

  const fileSource = { name: "orders-api", application: "a", deploymentGroup: "g", s3: { bucket: "orders-releases", prefix: "orders/" }, functions: [{ name: "orders", alias: "live" }] };
  const withRelease = (target: Record<string, string>, release: Record<string, unknown>) =>
    JSON.stringify(ordersApp({ prod: { target, release } }));
  const AT = "applications.orders-app.deploymentGroups.prod.release";
  it.each([
    ["owns a target of a file source", withRelease({ functionName: "orders", alias: "live" }, { name: "other", s3: { bucket: "b1b" } }), `${AT}: orders:live is already a target of [0]`],
    ["reuses a file source's name", withRelease({ functionName: "f", alias: "live" }, { name: "orders-api", s3: { bucket: "b1b" } }), `${AT}.name: 'orders-api' is also the name of [0]`],
    ["overlaps a file source's prefix", withRelease({ functionName: "f", alias: "live" }, { name: "x", s3: { bucket: "orders-releases", prefix: "orders/v2/" } }), `${AT}.s3.prefix: overlaps [0]`],
  ])("is refused when it %s, naming the group", (_what, groups, problem) => {
    expect(problems(() => stageReleaseSources({ RELEASE_SOURCES: JSON.stringify([fileSource]), DEPLOYMENT_GROUPS: groups })).join("\n")).toContain(problem);
  });

  it("any two S3 sources on one bucket are refused exactly when one prefix starts the other", () => {
    const prefix = fc.stringMatching(/^[a-c/]{0,4}$/);
    fc.assert(
      fc.property(prefix, prefix, (p1, p2) => {
        const groups = withRelease({ functionName: "f", alias: "live" }, { name: "g", s3: { bucket: "orders-releases", prefix: p2 } });
        const refused = problems(() => stageReleaseSources({ RELEASE_SOURCES: JSON.stringify([{ ...fileSource, s3: { bucket: "orders-releases", prefix: p1 } }]), DEPLOYMENT_GROUPS: groups })).length > 0;
        expect(refused).toBe(p1.startsWith(p2) || p2.startsWith(p1));
      }),
    );
  });
});

describe("config/releases.cjs reads the groups' release sections too", () => {
  it("the rules and grants cover the orders-beta group's prefix and function", () => {
    const c = require("../../../config/releases.cjs").forStage("local") as { s3EventDetail: unknown; bundleObjectArns: string[]; sourcesJson: string };
    expect(c.s3EventDetail).toEqual({ bucket: { name: ["orders-releases"] }, object: { key: [{ prefix: "orders-api/" }, { prefix: "orders-beta/" }] } });
    expect(c.bundleObjectArns).toEqual(["arn:aws:s3:::orders-releases/orders-api/*", "arn:aws:s3:::orders-releases/orders-beta/*"]);
    // RELEASE_SOURCES stays the file's own list: the functions read the groups from DEPLOYMENT_GROUPS.
    expect(JSON.parse(c.sourcesJson)).toEqual(JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources);
  });
});
