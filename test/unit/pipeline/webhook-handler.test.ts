import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pipelineTriggers } from "../../../functions/domain/pipeline/stack/triggers.js";
import { createHandler } from "../../../functions/handlers/pipeline/webhook.js";
import type { FakeExecutions } from "../../support/fakes/executions.js";
import { fakeWorld } from "../../support/fakes/index.js";
import { connectionPipeline } from "./base.js";

/**
 * The webhook function (functions/handlers/pipeline/webhook.ts) on in-memory ports: the signature is checked
 * before anything is read, each matching pipeline starts once per commit, and every answer says why.
 */
const SECRET_NAME = "stepdeploy-test-git-webhook-secret";
const PREFIX = "arn:aws:states:us-east-1:123456789012:stateMachine:";

const pipeline = () => connectionPipeline([{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", push: [{ branches: { includes: ["main", "release/**"] } }] } }]);

function world(secret?: string) {
  const w = fakeWorld({ pipeline: { region: "us-east-1", account: "123456789012", gitFetchProject: "", stateMachineArnPrefix: PREFIX, triggers: pipelineTriggers(pipeline(), "sd-pipeline-web"), webhookSecretParameter: SECRET_NAME, pipelines: [] } });
  if (secret) w.secrets.values.set(SECRET_NAME, secret);
  return { w, handler: createHandler(w.deps) };
}

const pushBody = (ref = "refs/heads/main", after = "a".repeat(40)) => JSON.stringify({ ref, after, repository: { full_name: "octo/web" }, head_commit: { message: "ship it", timestamp: "2026-12-02T10:00:00Z" }, commits: [{ added: [], modified: ["src/a.ts"], removed: [] }] });
const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const request = (body: string, headers: Record<string, string>, base64 = false) => ({ headers, body: base64 ? Buffer.from(body).toString("base64") : body, isBase64Encoded: base64, requestContext: { http: { method: "POST" } } });
const json = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;

describe("the git webhook function", () => {
  it("a signed push to a watched branch starts the pipeline once with the commit pinned; GitHub's redelivery starts nothing new", async () => {
    const { w, handler } = world("s3cret");
    const body = pushBody();
    const first = await handler(request(body, { "x-github-event": "push", "x-hub-signature-256": sign("s3cret", body) }, true));
    expect(first.statusCode).toBe(202);
    expect(json(first)["started"]).toEqual([{ pipeline: "web", executionArn: expect.stringContaining(":execution:sd-pipeline-web:git-"), alreadyExisted: false }]);
    const again = await handler(request(body, { "X-GitHub-Event": "push", "X-Hub-Signature-256": sign("s3cret", body) }));
    expect(json(again)["started"]).toEqual([expect.objectContaining({ alreadyExisted: true })]);
    expect(w.logs.map((l) => l.extra?.["status"])).toEqual([202, 202]);
    const [input] = [...(w.deps.executions as FakeExecutions).started.values()].map((x) => x.input);
    expect(input).toEqual({ trigger: { type: "WebhookV2", detail: `octo/web@branch:main:${"a".repeat(40)}` }, sourceRevisions: { Code: { CommitId: "a".repeat(40), BranchName: "main", CommitMessage: "ship it", AuthorDate: "2026-12-02T10:00:00Z" } } });
  });

  it.each([
    ["no signature", {}, 401],
    ["signed with another secret", { "x-hub-signature-256": sign("other", pushBody()) }, 401],
    ["a SHA-1 signature only", { "x-hub-signature": "sha1=00" }, 401],
  ])("%s: 401 and nothing started", async (_, headers, status) => {
    const { w, handler } = world("s3cret");
    const r = await handler(request(pushBody(), { "x-github-event": "push", ...headers }));
    expect(r.statusCode).toBe(status);
    expect(json(r)["error"]).toContain("X-Hub-Signature-256");
    expect((w.deps.executions as FakeExecutions).started.size).toBe(0);
  });

  it("without the secret in Parameter Store: 503 naming the parameter; it is read on every delivery, so setting it applies at once", async () => {
    const { w, handler } = world();
    const body = pushBody();
    const r = await handler(request(body, { "x-github-event": "push", "x-hub-signature-256": sign("s3cret", body) }));
    expect([r.statusCode, json(r)["error"]]).toEqual([503, expect.stringContaining(SECRET_NAME)]);
    w.secrets.values.set(SECRET_NAME, "s3cret");
    expect((await handler(request(body, { "x-github-event": "push", "x-hub-signature-256": sign("s3cret", body) }))).statusCode).toBe(202);
    expect(w.secrets.reads).toBe(2);
  });

  it("a ping, an unwatched branch and a non-JSON body: 200/200/400, with the reason", async () => {
    const { handler } = world("s3cret");
    const ping = JSON.stringify({ zen: "Keep it logically awesome." });
    expect(json(await handler(request(ping, { "x-github-event": "ping", "x-hub-signature-256": sign("s3cret", ping) })))).toEqual({ started: [], ignored: "ping" });
    const dev = pushBody("refs/heads/dev");
    const skipped = await handler(request(dev, { "x-github-event": "push", "x-hub-signature-256": sign("s3cret", dev) }));
    expect([skipped.statusCode, json(skipped)["skipped"]]).toEqual([200, [{ pipeline: "web", reason: "no trigger of Code matches branch:dev" }]]);
    const bad = "not json";
    expect((await handler(request(bad, { "x-github-event": "push", "x-hub-signature-256": sign("s3cret", bad) }))).statusCode).toBe(400);
  });

  it("anything but POST is refused before the secret is read", async () => {
    const { w, handler } = world("s3cret");
    expect((await handler({ requestContext: { http: { method: "GET" } } })).statusCode).toBe(405);
    expect(w.secrets.reads).toBe(0);
  });
});
