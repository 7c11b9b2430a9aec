import type { PreparedDeployment } from "../../../../functions/domain/deployment/state.js";
import { createHandler as start } from "../../../../functions/handlers/start.js";
import type { Deps } from "../../../../functions/wiring.js";
import { type FakeWorld, fakeWorld } from "../../../support/fakes/index.js";

export const EXEC = (id: string) => `arn:aws:states:us-east-1:123456789012:execution:stepdeploy-test-deploy-lambda:${id}`;
export const ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders:live";

/** The smallest valid deploy-lambda input (docs/deploy-lambda-input.md): orders:live to version 4, canary 10% for 5 minutes. */
export const MINIMAL_INPUT = {
  application: "orders-app",
  deploymentGroup: "orders-prod",
  functionName: "orders",
  alias: "live",
  targetVersion: "4",
  deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
};

/** The minimal input with an id, both hooks and an alarm. */
export function input(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    deploymentId: "d-FAKE00001",
    ...MINIMAL_INPUT,
    hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: "CodeDeployHook_post" },
    alarms: ["orders-errors"],
    ...overrides,
  };
}

/** An account with orders (versions 1-5, live on 3), both hooks and an OK alarm. */
export function world(config: Partial<Deps["config"]> = {}): FakeWorld {
  const w = fakeWorld(config);
  w.lambda.addFunction("orders", 5, { live: "3" }).addFunction("CodeDeployHook_pre", 1).addFunction("CodeDeployHook_post", 1);
  w.cloudwatch.alarms.set("orders-errors", "OK");
  return w;
}

/** Runs the Start handler and returns what it answered its token with (the prepared deployment). */
export async function started(w: FakeWorld, overrides: Record<string, unknown> = {}, token = "start-token"): Promise<PreparedDeployment> {
  const id = String(overrides.deploymentId ?? "d-FAKE00001");
  await start(w.deps)({ input: input(overrides), executionName: id, executionArn: EXEC(id), taskToken: token });
  const answer = w.sfn.answerTo(token);
  if (!answer?.ok) throw new Error(`start did not answer its token: ${JSON.stringify(answer)}`);
  return answer.output as PreparedDeployment;
}

export { failure } from "../../registry/helpers.js";
