import type { GitPullRequestFilter, GitPushFilter } from "../types.js";
import type { PipelineTrigger } from "../stack/triggers.js";
import { passesCriteria } from "./glob.js";
import { startFor, type TriggeredStart } from "./trigger-events.js";

/**
 * A GitHub webhook delivery (`push`, `pull_request`) turned into the executions it starts, with
 * CodePipeline's V2 trigger rules (user guide "Filter triggers on code push or pull requests",
 * "Trigger filtering in the pipeline JSON"): push filters are OR'ed and each one's criteria AND'ed;
 * in a criteria object excludes win over includes; a filter with `tags` matches tag pushes only, one
 * without matches branch pushes; a pull request filter's branches are the destination branch, and the
 * execution takes the source branch's head commit. A source action without a V2 trigger starts on a
 * push to its own BranchName (CodePipeline's "no filter" trigger), unless `DetectChanges` is "false".
 *
 * Choices where the guide is silent (docs/pipelines.md): the changed files of a push are the union of
 * added, modified and removed paths of the payload's commits (GitHub lists at most 20 commits, so a
 * larger push may miss paths); a file-path criterion passes when at least one changed file passes it;
 * a pull request filter with `filePaths` starts nothing (the pull_request payload carries no file list),
 * said in the reason; a filter with neither branches nor tags watches the action's own branch.
 */
export interface GitWatch {
  /** `owner/repo` as the action names it (FullRepositoryId, or Owner/Repo for GitHub version 1), compared case-insensitively as GitHub does. */
  repository: string;
  branch: string;
  push: GitPushFilter[];
  pullRequest: GitPullRequestFilter[];
  /** True when the pipeline declares V2 triggers for the action (then only they start it). */
  filtered: boolean;
}

export type GitEvent =
  | { kind: "push"; repository: string; ref: { type: "branch" | "tag"; name: string }; commit: string; files: string[]; message?: string; authorDate?: string }
  | { kind: "pullRequest"; repository: string; event: "OPEN" | "UPDATED" | "CLOSED"; destination: string; source: string; commit: string; title?: string };

export interface GitEventRead {
  event?: GitEvent;
  /** Why the delivery starts nothing (a ping, a deleted branch, an action CodePipeline ignores). */
  ignored?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** GitHub's pull_request actions that CodePipeline knows: opened/reopened = OPEN, synchronize = UPDATED, closed = CLOSED. */
const PR_EVENTS: Record<string, "OPEN" | "UPDATED" | "CLOSED"> = { opened: "OPEN", reopened: "OPEN", synchronize: "UPDATED", closed: "CLOSED" };

export function readGitHubEvent(eventName: string | undefined, payload: unknown): GitEventRead {
  const p = obj(payload);
  const repository = str(obj(p["repository"])["full_name"]);
  if (eventName === "ping") return { ignored: "ping" };
  if (!repository) return { ignored: `${eventName ?? "an event"} without repository.full_name` };
  if (eventName === "push") {
    const ref = str(p["ref"]) ?? "";
    const commit = str(p["after"]);
    if (p["deleted"] === true || !commit || /^0+$/.test(commit)) return { ignored: `${ref} was deleted` };
    const type = ref.startsWith("refs/heads/") ? "branch" : ref.startsWith("refs/tags/") ? "tag" : undefined;
    if (!type) return { ignored: `push to ${ref || "no ref"}` };
    const commits = Array.isArray(p["commits"]) ? p["commits"].map(obj) : [];
    const files = [...new Set(commits.flatMap((c) => ["added", "modified", "removed"].flatMap((k) => (Array.isArray(c[k]) ? (c[k] as unknown[]).filter((f): f is string => typeof f === "string") : []))))].sort();
    const head = obj(p["head_commit"]);
    const message = str(head["message"]);
    const authorDate = str(head["timestamp"]);
    return { event: { kind: "push", repository, ref: { type, name: ref.replace(/^refs\/(heads|tags)\//, "") }, commit, files, ...(message && { message }), ...(authorDate && { authorDate }) } };
  }
  if (eventName === "pull_request") {
    const action = str(p["action"]) ?? "";
    const event = PR_EVENTS[action];
    if (!event) return { ignored: `pull request ${action || "without action"}` };
    const pr = obj(p["pull_request"]);
    const head = obj(pr["head"]);
    const destination = str(obj(pr["base"])["ref"]);
    const source = str(head["ref"]);
    const commit = str(head["sha"]);
    if (!destination || !source || !commit) return { ignored: "pull request without base.ref, head.ref and head.sha" };
    const title = str(pr["title"]);
    return { event: { kind: "pullRequest", repository, event, destination, source, commit, ...(title && { title }) } };
  }
  return { ignored: `GitHub event ${eventName ?? "(none)"}` };
}

function pushMatches(watch: GitWatch, e: Extract<GitEvent, { kind: "push" }>): boolean {
  if (!watch.filtered) return e.ref.type === "branch" && e.ref.name === watch.branch;
  return watch.push.some((f) => {
    if (f.tags) return e.ref.type === "tag" && passesCriteria(f.tags, e.ref.name);
    if (e.ref.type !== "branch") return false;
    if (!f.branches && e.ref.name !== watch.branch) return false;
    if (!passesCriteria(f.branches, e.ref.name)) return false;
    return !f.filePaths || e.files.some((file) => passesCriteria(f.filePaths, file));
  });
}

function pullRequestMatches(watch: GitWatch, e: Extract<GitEvent, { kind: "pullRequest" }>): { ok: boolean; note?: string } {
  let note: string | undefined;
  const ok = watch.pullRequest.some((f) => {
    if (!(f.events?.length ? f.events : ["OPEN", "UPDATED", "CLOSED"]).includes(e.event)) return false;
    if (!passesCriteria(f.branches, e.destination)) return false;
    if (f.filePaths) {
      note = "a pull request filter with filePaths starts nothing: GitHub's pull_request payload has no file list";
      return false;
    }
    return true;
  });
  return { ok, ...(note && !ok && { note }) };
}

export interface WebhookOutcome {
  starts: TriggeredStart[];
  /** Per watching pipeline that did not start, why (for the response and the log). */
  skipped: { pipeline: string; reason: string }[];
}

export function webhookStarts(event: GitEvent, triggers: PipelineTrigger[]): WebhookOutcome {
  const out: WebhookOutcome = { starts: [], skipped: [] };
  for (const t of triggers) {
    if (!("git" in t) || t.git.repository.toLowerCase() !== event.repository.toLowerCase()) continue;
    const ref = event.kind === "push" ? `${event.ref.type}:${event.ref.name}` : `pr:${event.source}->${event.destination}:${event.event}`;
    let matched: boolean;
    let reason = `no trigger of ${t.action} matches ${ref}`;
    if (event.kind === "push") matched = pushMatches(t.git, event);
    else if (!t.git.filtered) {
      matched = false;
      reason = `${t.action} has no pull request trigger`;
    } else {
      const pr = pullRequestMatches(t.git, event);
      matched = pr.ok;
      if (pr.note) reason = pr.note;
    }
    if (!matched) {
      out.skipped.push({ pipeline: t.pipeline, reason });
      continue;
    }
    const branch = event.kind === "push" ? (event.ref.type === "branch" ? event.ref.name : t.git.branch) : event.source;
    const message = event.kind === "push" ? event.message : event.title;
    const revision = { CommitId: event.commit, BranchName: branch, ...(message && { CommitMessage: message }), ...(event.kind === "push" && event.authorDate && { AuthorDate: event.authorDate }) };
    out.starts.push(startFor(t, "git", `${ref}/${event.commit}`, revision, `${event.repository}@${ref}:${event.commit}`, "WebhookV2"));
  }
  return out;
}
