import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeploymentEventDetail } from "../../../functions/domain/deployment/notification.js";
import { DEPLOYMENT_TRIGGER_EVENTS, findGroup, parseGroups, triggerEventsOf, triggerMessages } from "../../../functions/domain/groups/index.js";
import { notifyTriggers } from "../../../functions/services/group-triggers.js";
import { fakeWorld } from "../../support/fakes/index.js";
import type { FakeTopics } from "../../support/fakes/topics.js";
import { ordersApp } from "./helpers.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:orders-deployments";
const OTHER = "arn:aws:sns:us-east-1:123456789012:pager";
const groups = parseGroups(
  ordersApp({
    prod: {
      target: { functionName: "orders", alias: "live" },
      triggerConfigurations: [
        { triggerName: "all", triggerTargetArn: TOPIC, triggerEvents: [...DEPLOYMENT_TRIGGER_EVENTS] },
        { triggerName: "pager", triggerTargetArn: OTHER, triggerEvents: ["DeploymentFailure", "DeploymentRollback"] },
      ],
    },
    quiet: { target: { functionName: "orders", alias: "beta" } },
  }),
);
const prod = findGroup(groups, "orders-app", "prod");
const detail = (state: DeploymentEventDetail["state"], extra: Partial<DeploymentEventDetail> = {}): DeploymentEventDetail => ({
  application: "orders-app",
  deploymentGroup: "prod",
  deploymentId: "d-TRIGGER01",
  instanceGroupId: prod.id,
  state,
  region: "us-east-1",
  config: "CodeDeployDefault.LambdaAllAtOnce",
  functionName: "orders",
  alias: "live",
  currentVersion: "3",
  targetVersion: "4",
  reason: null,
  rollback: false,
  ...extra,
});
const WHEN = { accountId: "123456789012", createTime: "2026-12-02T09:00:00.000Z", completeTime: "2026-12-02T09:05:00.250Z" };

describe("trigger event types of a deployment event", () => {
  it.each([
    [{ state: "START", rollback: false }, ["DeploymentStart"]],
    [{ state: "SUCCESS", rollback: false }, ["DeploymentSuccess"]],
    [{ state: "FAILURE", rollback: false }, ["DeploymentFailure"]],
    [{ state: "FAILURE", rollback: true }, ["DeploymentFailure", "DeploymentRollback"]],
    [{ state: "STOP", rollback: true }, ["DeploymentStop", "DeploymentRollback"]],
  ] as const)("%j is %j", (d, events) => {
    expect(triggerEventsOf(d)).toEqual(events);
  });

  it("a trigger gets exactly the events it lists, each once; subjects fit SNS's 100 characters", () => {
    fc.assert(
      fc.property(fc.constantFrom("START", "SUCCESS", "FAILURE", "STOP" as const), fc.boolean(), fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/), (state, rollback, app) => {
        const ms = triggerMessages(prod, detail(state, { rollback, application: app }), WHEN);
        for (const m of ms) {
          const trigger = prod.triggers.find((t) => t.triggerName === m.triggerName);
          expect(trigger?.triggerEvents).toContain(m.event);
          expect(m.subject.length).toBeLessThanOrEqual(100);
          expect(JSON.parse(m.message).applicationName).toBe(app);
        }
        expect(new Set(ms.map((m) => `${m.triggerName}/${m.event}`)).size).toBe(ms.length);
        expect(ms.filter((m) => m.triggerName === "all").map((m) => m.event)).toEqual(triggerEventsOf({ state, rollback }));
      }),
    );
  });

  it("writes CodeDeploy's deployment trigger JSON, times as epoch seconds in strings", () => {
    const [failure, rollback] = triggerMessages(prod, detail("FAILURE", { rollback: true, error: "Deploy.HookFailed", reason: "BeforeAllowTraffic hook answered Failed" }), WHEN).filter((m) => m.triggerName === "pager");
    expect(JSON.parse(failure?.message ?? "{}")).toMatchObject({
      region: "us-east-1",
      accountId: "123456789012",
      eventTriggerName: "pager",
      applicationName: "orders-app",
      deploymentId: "d-TRIGGER01",
      deploymentGroupName: "prod",
      createTime: "1796202000.000",
      completeTime: "1796202300.250",
      deploymentOverview: { Failed: "1", InProgress: "0", Pending: "0", Skipped: "0", Succeeded: "0" },
      status: "Failed",
      errorInformation: { ErrorCode: "Deploy.HookFailed", ErrorMessage: "BeforeAllowTraffic hook answered Failed" },
    });
    expect(rollback?.event).toBe("DeploymentRollback");
    expect(JSON.parse(triggerMessages(prod, detail("START"), WHEN)[0]?.message ?? "{}").completeTime).toBeUndefined();
  });
});

describe("notifyTriggers", () => {
  it("publishes the group's triggers; a group without triggers or an undeclared group sends nothing", async () => {
    const w = fakeWorld({ groups });
    const topics = w.deps.topics as FakeTopics;
    expect(await notifyTriggers(w.deps, { account: "123456789012", time: WHEN.completeTime, detail: detail("STOP", { rollback: true }) })).toEqual({ published: 3 });
    expect(topics.published.map((p) => [p.topicArn, p.message.status])).toEqual([
      [TOPIC, "Stopped"],
      [TOPIC, "Stopped"],
      [OTHER, "Stopped"],
    ]);
    expect(await notifyTriggers(w.deps, { account: "123456789012", detail: detail("SUCCESS", { deploymentGroup: "quiet" }) })).toEqual({ published: 0 });
    expect(await notifyTriggers(w.deps, { account: "123456789012", detail: detail("SUCCESS", { application: "billing" }) })).toEqual({ published: 0 });
    expect(topics.published).toHaveLength(3);
  });

  it("tries every trigger when one topic refuses, then fails naming it (Lambda retries, then the dead-letter queue)", async () => {
    const w = fakeWorld({ groups });
    const topics = w.deps.topics as FakeTopics;
    topics.failing.add(TOPIC);
    await expect(notifyTriggers(w.deps, { account: "123456789012", detail: detail("FAILURE", { rollback: true }) })).rejects.toMatchObject({ name: "Deploy.AwsError", message: expect.stringContaining("all: SNS Publish") });
    expect(topics.published.map((p) => p.topicArn)).toEqual([OTHER, OTHER]);
  });
});
