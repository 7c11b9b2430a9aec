import { describe, expect, it } from "vitest";
import { readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { basePipeline, type Json, setPath } from "./base.js";

/**
 * The stage and action reader (functions/domain/pipeline/read-stages.ts) on values of the wrong shape: each is
 * refused at its own path, saying what was expected, and the rest of the pipeline is still read (no crash, no
 * cascade of errors elsewhere). rules.test.ts covers the CodePipeline rules on well-shaped values.
 */
const S = "pipeline.stages";
const A = (stage: number, i: number) => `${S}[${stage}].actions[${i}]`;

function read(...edits: [string, unknown][]) {
  const p: Json = basePipeline();
  for (const [path, value] of edits) setPath(p, path, value);
  return readPipelineValue(p);
}

describe("stage and action shapes", () => {
  it.each<[string, [string, unknown][], string, RegExp]>([
    ["a stage that is a string", [[`${S}[1]`, "Build"]], `${S}[1]`, /stage/],
    ["onFailure that is a string", [[`${S}[2].onFailure`, "ROLLBACK"]], `${S}[2].onFailure`, /onFailure/],
    ["onFailure with conditions", [[`${S}[2].onFailure`, { result: "FAIL", conditions: [] }]], `${S}[2].onFailure.conditions`, /not run by stepdeploy yet/],
    ["onFailure result not in the enum", [[`${S}[2].onFailure`, { result: "IGNORE" }]], `${S}[2].onFailure.result`, /'IGNORE' is not one of FAIL, RETRY, ROLLBACK/],
    ["onFailure with an unknown field", [[`${S}[2].onFailure`, { result: "FAIL", retries: 2 }]], `${S}[2].onFailure.retries`, /./],
    ["retryConfiguration that is a string", [["pipeline.pipelineType", "V2"], [`${S}[2].onFailure`, { result: "RETRY", retryConfiguration: "ALL" }]], `${S}[2].onFailure.retryConfiguration`, /retryConfiguration/],
    ["retryMode not in the enum", [["pipeline.pipelineType", "V2"], [`${S}[2].onFailure`, { result: "RETRY", retryConfiguration: { retryMode: "SOME_ACTIONS" } }]], `${S}[2].onFailure.retryConfiguration.retryMode`, /SOME_ACTIONS/],
    ["an action that is a number", [[A(2, 0), 7]], A(2, 0), /action/],
    ["an action without actionTypeId", [[`${A(2, 0)}.actionTypeId`, undefined]], `${A(2, 0)}.actionTypeId`, /is required/],
    ["actionTypeId that is a string", [[`${A(2, 0)}.actionTypeId`, "CodeDeploy"]], `${A(2, 0)}.actionTypeId`, /actionTypeId/],
    ["an unknown actionTypeId field", [[`${A(2, 0)}.actionTypeId.variant`, "x"]], `${A(2, 0)}.actionTypeId.variant`, /./],
    ["configuration that is a list", [[`${A(1, 0)}.configuration`, ["app-build"]]], `${A(1, 0)}.configuration`, /configuration/],
    ["a configuration key over 50 characters", [[`${A(1, 1)}.configuration.${"K".repeat(51)}`, "x"]], `${A(1, 1)}.configuration.${"K".repeat(51)}`, /at most 50 characters, got 51/],
    ["an input artifact that is a string", [[`${A(2, 0)}.inputArtifacts`, ["Built"]]], `${A(2, 0)}.inputArtifacts[0]`, /input artifact/],
    ["an output artifact that is a string", [[`${A(1, 0)}.outputArtifacts`, ["Built"]]], `${A(1, 0)}.outputArtifacts[0]`, /output artifact/],
    ["output artifact files that are empty", [[`${A(1, 0)}.outputArtifacts`, [{ name: "Built", files: [] }]]], `${A(1, 0)}.outputArtifacts[0].files`, /at least 1/],
    ["an environment variable that is a string", [[`${A(1, 0)}.environmentVariables`, ["A=1"]]], `${A(1, 0)}.environmentVariables[0]`, /environment variable/],
    ["a role that is not an IAM role ARN", [[`${A(1, 0)}.roleArn`, "builder"]], `${A(1, 0)}.roleArn`, /IAM role ARN/],
  ])("%s: one error, at its path", (_what, edits, path, message) => {
    const r = read(...edits);
    const at = r.errors.filter((e) => e.path === path);
    expect(at, JSON.stringify(r.errors)).toHaveLength(1);
    expect(at[0]?.message).toMatch(message);
    expect(r.valid).toBe(false);
  });

  it("what a well-shaped action may carry is read as given", () => {
    const r = read(
      [`${A(1, 0)}.outputArtifacts`, [{ name: "Built", files: ["dist/**/*"] }]],
      [`${A(1, 0)}.timeoutInMinutes`, 30],
      [`${A(1, 0)}.roleArn`, "arn:aws:iam::111122223333:role/builder"],
      [`${S}[1].onFailure`, { result: "RETRY" }],
      ["pipeline.pipelineType", "V2"],
    );
    expect(r.errors).toEqual([]);
    const build = r.pipeline?.stages[1];
    expect(build?.onFailure).toEqual({ result: "RETRY", retryMode: "FAILED_ACTIONS" });
    expect(build?.actions[0]).toMatchObject({ outputArtifacts: [{ name: "Built", files: ["dist/**/*"] }], timeoutInMinutes: 30, roleArn: "arn:aws:iam::111122223333:role/builder" });
  });
});
