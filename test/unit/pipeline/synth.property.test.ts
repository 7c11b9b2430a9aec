import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { MAX_STATE_NAME, runOrderGroups, synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { validPipeline } from "./arbitraries.js";
import { allStates, aslErrors } from "./synth-support.js";

const compiled = validPipeline.map((p) => readPipelineValue(p).pipeline as Pipeline);

describe("synth properties", () => {
  it("any valid pipeline compiles to valid ASL with one <Stage>.<Action> state per action, names within 80 characters, deterministically", () => {
    fc.assert(
      fc.property(compiled, (pipeline) => {
        const first = synthesize(pipeline);
        expect(JSON.stringify(synthesize(pipeline).definition)).toBe(JSON.stringify(first.definition));
        expect(aslErrors(first.definition)).toEqual([]);
        const states = allStates(first.definition);
        for (const stage of pipeline.stages) {
          for (const action of stage.actions) expect(states.has(first.actionStates[stage.name]?.[action.name] as string)).toBe(true);
        }
        for (const name of states.keys()) expect(name.length).toBeLessThanOrEqual(MAX_STATE_NAME);
      }),
      { numRuns: 10 },
    );
  });

  it("a stage has one Parallel state per runOrder shared by several actions, holding exactly those actions", () => {
    fc.assert(
      fc.property(compiled, (pipeline) => {
        const { definition, actionStates } = synthesize(pipeline);
        const states = allStates(definition);
        for (const stage of pipeline.stages) {
          for (const group of runOrderGroups(stage)) {
            const parents = new Set(group.map((a) => states.get(actionStates[stage.name]?.[a.name] as string)?.inParallel));
            expect(parents.size).toBe(1);
            const [parent] = parents;
            expect(parent === undefined).toBe(group.length === 1);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
