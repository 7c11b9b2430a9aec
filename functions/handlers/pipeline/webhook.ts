import { receiveGitHubWebhook, type UrlRequest } from "../../services/pipeline/webhook.js";
import { type Deps, realDeps } from "../../wiring.js";

/** A GitHub push or pull request (the function's URL, signed with the stack's secret) -> an execution of each pipeline whose trigger matches, commit pinned. */
export function createHandler(deps: Pick<Deps, "executions" | "secrets" | "config" | "log">) {
  return async (request: UrlRequest) => {
    const response = await receiveGitHubWebhook(deps, request);
    deps.log().info("git webhook", { event: request.headers?.["x-github-event"], delivery: request.headers?.["x-github-delivery"], status: response.statusCode, response: response.body });
    return response;
  };
}

export const handler = createHandler(realDeps());
