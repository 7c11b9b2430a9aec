import { describe, expect, it } from "vitest";
import {
  describeConfig,
  describeSchedule,
  formatClock,
  renderScheduleTable,
  resolveConfig,
  resolveSchedule,
  timingModelNote,
} from "../../../functions/domain/configs/index.js";
import { closestNames, editDistance } from "../../../functions/domain/configs/suggest.js";

describe("describeSchedule", () => {
  it("gives step number, mm:ss, weight and the bake until the next step", () => {
    expect(describeSchedule(resolveSchedule({ steps: [{ weight: 1, bakeMinutes: 5 }, { weight: 10, bakeMinutes: 10 }, { weight: 50, bakeMinutes: 10 }] }))).toEqual([
      { step: 1, atSeconds: 0, at: "00:00", weight: 1, bakeSeconds: 300, bakeUntilNext: "05:00" },
      { step: 2, atSeconds: 300, at: "05:00", weight: 10, bakeSeconds: 600, bakeUntilNext: "10:00" },
      { step: 3, atSeconds: 900, at: "15:00", weight: 50, bakeSeconds: 600, bakeUntilNext: "10:00" },
      { step: 4, atSeconds: 1500, at: "25:00", weight: 100, bakeSeconds: 0, bakeUntilNext: "-" },
    ]);
  });

  it("formats clocks past an hour as minutes", () => {
    expect([0, 59, 60, 540, 5400, 172_800].map(formatClock)).toEqual(["00:00", "00:59", "01:00", "09:00", "90:00", "2880:00"]);
  });

  it("renders an aligned table", () => {
    expect(renderScheduleTable(resolveSchedule("CodeDeployDefault.LambdaCanary10Percent5Minutes"))).toEqual([
      "#  at (mm:ss)  weight  bake until next",
      "1  00:00          10%  05:00",
      "2  05:00         100%  -",
    ]);
  });
});

describe("timing notes and config descriptions", () => {
  it("names the model for each kind, flagging linear model A as unconfirmed", () => {
    expect(timingModelNote("TimeBasedLinear")).toMatch(/model A.*UNCONFIRMED.*\(n-1\)·interval.*remainder/);
    expect(timingModelNote("TimeBasedCanary")).toContain("canaryInterval");
    expect(timingModelNote("AllAtOnce")).toContain("100%");
    expect(timingModelNote("StepList")).toContain("bakeMinutes");
  });

  it.each([
    ["CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "TimeBasedLinear: 10% every 1 minute (Lambda)"],
    ["CodeDeployDefault.ECSCanary10Percent15Minutes", "TimeBasedCanary: 10%, the rest after 15 minutes (ECS)"],
    ["CodeDeployDefault.ECSAllAtOnce", "AllAtOnce (ECS)"],
  ])("%s → %s", (name, text) => {
    expect(describeConfig(resolveConfig(name))).toBe(text);
  });

  it("describes a step list", () => {
    expect(describeConfig(resolveConfig({ steps: [{ weight: 5, bakeMinutes: 1 }, { weight: 50, bakeMinutes: 2 }] }))).toBe("Step list: 5% for 1 minute, 50% for 2 minutes, then 100%");
  });
});

describe("name suggestions", () => {
  it("computes edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("prefers the singular/plural twin, then the nearest name, and gives up on unrelated text", () => {
    const names = ["CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"];
    expect(closestNames("CodeDeployDefault.LambdaLinear10PercentEvery1Minutes", names)).toEqual([names[0]]);
    expect(closestNames("CodeDeployDefault.ECSLinear10PercentEvery1Minute", names)).toEqual([names[2]]);
    expect(closestNames("LambdaLinear10PercentEvery10Minute", names)).toEqual([names[1]]);
    expect(closestNames("production", names)).toEqual([]);
    expect(closestNames("", names)).toEqual([]);
  });
});
