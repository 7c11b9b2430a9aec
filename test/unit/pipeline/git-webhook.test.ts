import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type GitEvent, readGitHubEvent, webhookStarts } from "../../../functions/domain/pipeline/execution/git-webhook.js";
import { globMatches, globProblem, passesCriteria } from "../../../functions/domain/pipeline/execution/glob.js";
import { readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { pipelineTriggers } from "../../../functions/domain/pipeline/stack/triggers.js";
import type { Pipeline } from "../../../functions/domain/pipeline/types.js";
import { connectionPipeline } from "./base.js";

/**
 * GitHub webhooks and CodePipeline's V2 trigger filters (functions/domain/pipeline/execution/git-webhook.ts, glob.ts):
 * the glob language of the user guide, the OR/AND and excludes-win rules, push vs tag vs pull request, and what
 * execution each delivery starts.
 */
describe("glob patterns (CodePipeline user guide, 'Working with glob patterns in syntax')", () => {
  it.each([
    ["*.java", "Main.java", true],
    ["*.java", "src/Main.java", false],
    ["**/*.java", "src/a/Main.java", true],
    ["*.*", "a.b", true],
    ["*.*", "ab", false],
    ["*.{java,class}", "A.class", true],
    ["*.{java,class}", "A.jar", false],
    ["foo.?", "foo.c", true],
    ["foo.?", "foo.cc", false],
    ["directory/*", "directory/a.txt", true],
    ["directory/*", "directory/sub/a.txt", false],
    ["directory/**", "directory/sub/a.txt", true],
    ["**", "any/thing/at/all", true],
    ["feature/**", "feature/x/y", true],
    ["release-v[0-9]", "release-v7", true],
    ["release-v[!0-9]", "release-vx", true],
    ["release-v[!0-9]", "release-v1", false],
    ["[-a]", "-", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["main", "main", true],
    ["main", "mainline", false],
    ["v1.0", "v1x0", false],
  ])("%s against %s: %s", (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it.each([
    ["[abc", "is not closed"],
    ["{a,b", "is not closed"],
    ["{a,{b}}", "cannot be nested"],
    ["a\\", "ends with an escape"],
  ])("%s is invalid: %s", (pattern, reason) => {
    expect(globProblem(pattern)).toContain(reason);
  });

  it("a name always matches itself written with every special character escaped, and ** matches every name", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (name) => {
        const escaped = name.replace(/[\\*?[\]{},]/g, "\\$&");
        expect(globMatches(escaped, name)).toBe(true);
        expect(globMatches("**", name)).toBe(true);
      }),
    );
  });

  it("excludes win over includes; no includes means anything not excluded", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6}){0,2}$/), (name) => {
        expect(passesCriteria({ includes: ["**"], excludes: [name] }, name)).toBe(false);
        expect(passesCriteria({ excludes: ["nothing-matches-this/x"] }, name)).toBe(true);
        expect(passesCriteria(undefined, name)).toBe(true);
        expect(passesCriteria({ includes: [name] }, name)).toBe(true);
      }),
    );
  });
});

const pipelineWith = connectionPipeline;
const triggersOf = (p: Pipeline) => pipelineTriggers(p, "stepdeploy-dev-pipeline-web");
const push = (ref: string, files: string[] = ["src/app.ts"], commit = "a".repeat(40)): GitEvent => ({ kind: "push", repository: "octo/web", ref: ref.startsWith("v") ? { type: "tag", name: ref } : { type: "branch", name: ref }, commit, files });
const pr = (event: "OPEN" | "UPDATED" | "CLOSED", destination = "main"): GitEvent => ({ kind: "pullRequest", repository: "octo/web", event, destination, source: "feature/x", commit: "b".repeat(40) });
const started = (p: Pipeline, e: GitEvent) => webhookStarts(e, triggersOf(p)).starts.length === 1;

describe("which deliveries start the pipeline", () => {
  it("without V2 triggers: a push to the action's branch only (repository compared case-insensitively); DetectChanges false watches nothing", () => {
    const p = pipelineWith(undefined);
    expect([started(p, push("main")), started(p, push("dev")), started(p, push("v1.0")), started(p, pr("OPEN"))]).toEqual([true, false, false, false]);
    expect(triggersOf(pipelineWith(undefined, { DetectChanges: "false" }))).toEqual([]);
  });

  it("push filters: OR between filters, AND inside one; tags only for tag pushes; file paths need one changed file that passes", () => {
    const p = pipelineWith([
      { providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", push: [{ branches: { includes: ["release/**"], excludes: ["release/old*"] }, filePaths: { includes: ["src/**"], excludes: ["**/README.md"] } }, { tags: { includes: ["v*"], excludes: ["v0*"] } }] } },
    ]);
    const cases: [GitEvent, boolean][] = [
      [push("release/2.1"), true],
      [push("release/old-1"), false],
      [push("main"), false],
      [push("release/2.1", ["docs/README.md"]), false],
      [push("release/2.1", ["src/README.md"]), false],
      [push("release/2.1", ["src/README.md", "src/a.ts"]), true],
      [push("v1.2"), true],
      [push("v0.9"), false],
      [pr("OPEN"), false],
    ];
    for (const [e, expected] of cases) expect(started(p, e), JSON.stringify(e)).toBe(expected);
  });

  it("pull request filters: events (all three when absent) and the destination branch; the execution takes the source branch's head", () => {
    const p = pipelineWith([{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", pullRequest: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main"] } }] } }]);
    expect([started(p, pr("OPEN")), started(p, pr("UPDATED")), started(p, pr("CLOSED")), started(p, pr("OPEN", "dev")), started(p, push("main"))]).toEqual([true, true, false, false, false]);
    const [start] = webhookStarts(pr("OPEN"), triggersOf(p)).starts;
    expect(start?.input).toEqual({ trigger: { type: "WebhookV2", detail: `octo/web@pr:feature/x->main:OPEN:${"b".repeat(40)}` }, sourceRevisions: { Code: { CommitId: "b".repeat(40), BranchName: "feature/x" } } });
    const all = pipelineWith([{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", pullRequest: [{ branches: { includes: ["**"] } }] } }]);
    expect([started(all, pr("OPEN")), started(all, pr("UPDATED")), started(all, pr("CLOSED"))]).toEqual([true, true, true]);
  });

  it("a pull request filter with file paths starts nothing, says why, and pipeline validate warns of it", () => {
    const triggers = [{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", pullRequest: [{ branches: { includes: ["main"] }, filePaths: { includes: ["src/**"] } }] } }];
    const p = pipelineWith(triggers);
    const read = readPipelineValue({ pipeline: { name: "web", pipelineType: "V2", roleArn: "arn:aws:iam::111122223333:role/p", artifactStore: { type: "S3", location: "store" }, triggers, stages: p.stages } });
    expect(read.warnings).toContainEqual({ path: "pipeline.triggers[0].gitConfiguration.pullRequest[0].filePaths", message: expect.stringContaining("never starts the pipeline") });
    expect(webhookStarts(pr("OPEN"), triggersOf(p))).toEqual({ starts: [], skipped: [{ pipeline: "web", reason: expect.stringContaining("no file list") }] });
  });

  it("one execution name per pipeline, action, ref and commit: a redelivery starts nothing new, another commit does", () => {
    const p = pipelineWith(undefined);
    const name = (e: GitEvent) => webhookStarts(e, triggersOf(p)).starts[0]?.executionName;
    expect(name(push("main"))).toBe(name(push("main")));
    expect(name(push("main"))).not.toBe(name(push("main", undefined, "c".repeat(40))));
    expect(name(push("main"))).toMatch(/^git-[0-9a-f]+$/);
  });

  it("an invalid glob in a trigger is refused at validate time with its path", () => {
    const r = readPipelineValue({ pipeline: { ...JSON.parse(JSON.stringify({ name: "web" })), pipelineType: "V2", roleArn: "arn:aws:iam::111122223333:role/p", artifactStore: { type: "S3", location: "store" }, triggers: [{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Code", push: [{ branches: { includes: ["release/[abc"] } }] } }], stages: pipelineWith(undefined).stages } });
    expect(r.errors).toContainEqual({ path: "pipeline.triggers[0].gitConfiguration.push[0].branches.includes[0]", message: expect.stringContaining("is not closed") });
  });
});

describe("reading GitHub deliveries", () => {
  const repo = { full_name: "Octo/Web" };
  it("push: branch or tag, the head commit, the union of changed files; deleted refs and pings start nothing", () => {
    const read = readGitHubEvent("push", { ref: "refs/heads/main", after: "a".repeat(40), repository: repo, head_commit: { message: "fix", timestamp: "2026-12-02T10:00:00Z" }, commits: [{ added: ["a"], modified: ["b"], removed: [] }, { added: [], modified: ["b", "c"], removed: ["d"] }] });
    expect(read.event).toEqual({ kind: "push", repository: "Octo/Web", ref: { type: "branch", name: "main" }, commit: "a".repeat(40), files: ["a", "b", "c", "d"], message: "fix", authorDate: "2026-12-02T10:00:00Z" });
    expect(readGitHubEvent("push", { ref: "refs/tags/v1", after: "a".repeat(40), repository: repo }).event).toMatchObject({ ref: { type: "tag", name: "v1" } });
    expect(readGitHubEvent("push", { ref: "refs/heads/x", after: "0".repeat(40), deleted: true, repository: repo }).ignored).toContain("deleted");
    expect(readGitHubEvent("ping", { zen: "..." }).ignored).toBe("ping");
    expect(readGitHubEvent("issues", { repository: repo }).ignored).toContain("issues");
  });

  it.each([
    ["opened", "OPEN"],
    ["reopened", "OPEN"],
    ["synchronize", "UPDATED"],
    ["closed", "CLOSED"],
  ])("pull_request %s is %s", (action, event) => {
    expect(readGitHubEvent("pull_request", { action, repository: repo, pull_request: { base: { ref: "main" }, head: { ref: "f", sha: "b".repeat(40) } } }).event).toMatchObject({ kind: "pullRequest", event, destination: "main", source: "f" });
  });

  it("pull_request actions CodePipeline ignores (labeled, edited, ...) start nothing", () => {
    expect(readGitHubEvent("pull_request", { action: "labeled", repository: repo }).ignored).toContain("labeled");
  });
});
