import { readGitHubEvent, webhookStarts } from "../../domain/pipeline/execution/git-webhook.js";
import { githubSignatureValid } from "../../domain/pipeline/execution/webhook-signature.js";
import type { ExecutionsPort } from "../../ports/executions.js";
import type { SecretsPort } from "../../ports/secrets.js";
import type { PipelineStackConfig } from "../../wiring.js";
import { startEach } from "./triggers.js";

/** A Lambda function URL request (payload format 2.0): lower-case headers, the body as text or base64. */
export interface UrlRequest {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

export interface UrlResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type WebhookDeps = {
  executions: ExecutionsPort;
  secrets: SecretsPort;
  config: { pipeline: Pick<PipelineStackConfig, "triggers" | "stateMachineArnPrefix" | "webhookSecretParameter"> };
};

const reply = (statusCode: number, body: Record<string, unknown>): UrlResponse => ({ statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/**
 * A GitHub webhook delivery: POST only; the signature checked against the stack's secret before the body is
 * read (401 otherwise, 503 when the secret is not set up); then each watching pipeline started once per
 * commit and ref (execution name from them, so GitHub's redelivery starts nothing new). 202 with what was
 * started and what was skipped and why; 200 for a delivery that starts nothing by nature (ping, deleted
 * branch, an event CodePipeline ignores).
 */
export async function receiveGitHubWebhook(deps: WebhookDeps, request: UrlRequest): Promise<UrlResponse> {
  if ((request.requestContext?.http?.method ?? "POST") !== "POST") return reply(405, { error: "POST only" });
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = Buffer.from(request.body ?? "", request.isBase64Encoded ? "base64" : "utf8");
  const secret = await deps.secrets.secret(deps.config.pipeline.webhookSecretParameter);
  if (!secret) return reply(503, { error: `the webhook secret (SSM parameter ${deps.config.pipeline.webhookSecretParameter}) is not set: see docs/pipelines.md#github-webhooks` });
  if (!githubSignatureValid(secret, body, headers["x-hub-signature-256"])) return reply(401, { error: "X-Hub-Signature-256 does not match the body signed with the webhook secret" });
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return reply(400, { error: "the body is not JSON (set the webhook's content type to application/json)" });
  }
  const read = readGitHubEvent(headers["x-github-event"], payload);
  if (!read.event) return reply(200, { started: [], ignored: read.ignored });
  const outcome = webhookStarts(read.event, deps.config.pipeline.triggers);
  const started = await startEach(deps, outcome.starts);
  return reply(started.length ? 202 : 200, { started, skipped: outcome.skipped });
}
