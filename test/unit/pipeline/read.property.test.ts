import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { readPipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { toCloudFormation, validPipeline } from "./arbitraries.js";
import { type Json, setPath } from "./base.js";

type Stage = { actions: Json[] };
const stagesOf = (p: Json) => (p["pipeline"] as { stages: Stage[] }).stages;

describe("pipeline validation properties", () => {
  it("any generated valid pipeline validates, with no warnings", () => {
    fc.assert(
      fc.property(validPipeline, (p) => {
        const r = readPipelineValue(p);
        expect(r.errors).toEqual([]);
        expect(r.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("JSON, YAML and the CloudFormation resource read into the same model", () => {
    fc.assert(
      fc.property(validPipeline, (p) => {
        const fromJson = readPipeline(JSON.stringify(p));
        const fromYaml = readPipeline(stringify(p));
        const fromCfn = readPipeline(stringify(toCloudFormation(p)));
        expect(fromYaml.pipeline).toEqual(fromJson.pipeline);
        expect(fromCfn.errors).toEqual([]);
        const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "path" ? undefined : v)));
        expect(strip(fromCfn.pipeline)).toEqual(strip(fromJson.pipeline));
      }),
      { numRuns: 40 },
    );
  });

  it("a runOrder out of 1-999 on any action yields exactly that error", () => {
    fc.assert(
      fc.property(validPipeline, fc.nat(), fc.nat(), fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1000 })), (p, s, a, bad) => {
        const stages = stagesOf(p);
        const si = s % stages.length;
        const ai = a % (stages[si]?.actions.length ?? 1);
        const path = `pipeline.stages[${si}].actions[${ai}].runOrder`;
        setPath(p, path, bad);
        const r = readPipelineValue(p);
        expect(r.errors).toEqual([{ path, message: `must be from 1 to 999, got ${bad}` }]);
      }),
    );
  });

  it("renaming a stage to an earlier stage's name yields exactly that error", () => {
    fc.assert(
      fc.property(validPipeline, fc.nat(), (p, n) => {
        const stages = stagesOf(p) as unknown as { name: string }[];
        const later = 1 + (n % (stages.length - 1));
        const earlier = n % later;
        setPath(p, `pipeline.stages[${later}].name`, stages[earlier]?.name);
        const r = readPipelineValue(p);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]?.path).toBe(`pipeline.stages[${later}].name`);
      }),
    );
  });

  it("giving an approval an input artifact yields exactly that error", () => {
    fc.assert(
      fc.property(validPipeline, (p) => {
        const stages = stagesOf(p);
        const at = stages.flatMap((s, si) => s.actions.map((a, ai) => ({ a, si, ai }))).find(({ a }) => (a["actionTypeId"] as Json)["provider"] === "Manual");
        fc.pre(at !== undefined);
        const firstSource = stages[0]?.actions[0] ?? {};
        const source = ((firstSource["outputArtifacts"] as Json[])[0] as Json)["name"];
        const path = `pipeline.stages[${at?.si}].actions[${at?.ai}].inputArtifacts`;
        setPath(p, path, [{ name: source }]);
        const r = readPipelineValue(p);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]?.path).toBe(path);
      }),
    );
  });
});
