import { describe, expect, it } from "vitest";
import { resolveConfig, resolveSchedule } from "../../../functions/domain/configs/index.js";
import { expectWellFormed, problemsOf } from "./helpers.js";

const at = (pairs: [number, number][]) => pairs.map(([atSeconds, weight]) => ({ atSeconds, weight }));
const canary = (timeBasedCanary: unknown) => ({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary } });
const linear = (timeBasedLinear: unknown) => ({ trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear } });
const steps = (list: unknown) => ({ steps: list });

describe("valid custom configs", () => {
  it.each([
    { label: "canary 25% / 7 min", config: canary({ canaryPercentage: 25, canaryInterval: 7 }), steps: [[0, 25], [420, 100]], total: 420 },
    { label: "canary at the limits 99% / 2880 min", config: canary({ canaryPercentage: 99, canaryInterval: 2880 }), steps: [[0, 99], [172_800, 100]], total: 172_800 },
    { label: "linear 30% / 2 min ends with the 10% remainder", config: linear({ linearPercentage: 30, linearInterval: 2 }), steps: [[0, 30], [120, 60], [240, 90], [360, 100]], total: 360 },
    { label: "linear 50% / 5 min", config: linear({ linearPercentage: 50, linearInterval: 5 }), steps: [[0, 50], [300, 100]], total: 300 },
    { label: "linear 99% / 1 min", config: linear({ linearPercentage: 99, linearInterval: 1 }), steps: [[0, 99], [60, 100]], total: 60 },
    { label: "linear 40% / 1 min", config: linear({ linearPercentage: 40, linearInterval: 1 }), steps: [[0, 40], [60, 80], [120, 100]], total: 120 },
    { label: "linear 10% / 320 min: 9 × 320 = 2880 min exactly", config: linear({ linearPercentage: 10, linearInterval: 320 }), steps: Array.from({ length: 10 }, (_, k) => [k * 19_200, (k + 1) * 10]), total: 172_800 },
    { label: "all at once", config: { trafficRoutingConfig: { type: "AllAtOnce" } }, steps: [[0, 100]], total: 0 },
    { label: "step list from the README", config: steps([{ weight: 1, bakeMinutes: 5 }, { weight: 10, bakeMinutes: 10 }, { weight: 50, bakeMinutes: 10 }]), steps: [[0, 1], [300, 10], [900, 50], [1500, 100]], total: 1500 },
    { label: "one-step list", config: steps([{ weight: 5, bakeMinutes: 1 }]), steps: [[0, 5], [60, 100]], total: 60 },
    { label: "step list totalling 2880 min", config: steps([{ weight: 1, bakeMinutes: 2000 }, { weight: 2, bakeMinutes: 880 }]), steps: [[0, 1], [120_000, 2], [172_800, 100]], total: 172_800 },
  ] as { label: string; config: unknown; steps: [number, number][]; total: number }[])("$label", ({ config, steps: expected, total }) => {
    const s = resolveSchedule(config);
    expect(s).toEqual({ config: "custom", steps: at(expected), totalSeconds: total });
    expectWellFormed(s);
  });

  it("uses deploymentConfigName and computePlatform of a CreateDeploymentConfigInput-shaped config", () => {
    const r = resolveConfig({
      deploymentConfigName: "Canary5Percent2Minutes",
      computePlatform: "ECS",
      trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 5, canaryInterval: 2 } },
    });
    expect(r).toMatchObject({ source: "custom", kind: "TimeBasedCanary", computePlatform: "ECS" });
    expect(r.schedule).toEqual({ config: "Canary5Percent2Minutes", steps: at([[0, 5], [120, 100]]), totalSeconds: 120 });
  });

  it("names a step list and records its bake steps", () => {
    const r = resolveConfig({ deploymentConfigName: "slow-start", computePlatform: "Lambda", steps: [{ weight: 20, bakeMinutes: 3 }] });
    expect(r).toMatchObject({ source: "steps", kind: "StepList", computePlatform: "Lambda", trafficRoutingConfig: undefined, bakeSteps: [{ weight: 20, bakeMinutes: 3 }] });
    expect(r.schedule.config).toBe("slow-start");
  });

  it("treats a null sub-object of the other type as absent (as GetDeploymentConfig output may contain)", () => {
    expect(resolveSchedule({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 1 }, timeBasedLinear: null } }).totalSeconds).toBe(60);
  });
});

const TRC = "deploymentConfig.trafficRoutingConfig";
const CANARY = `${TRC}.timeBasedCanary`;
const LINEAR = `${TRC}.timeBasedLinear`;
const ROUTING = "InvalidTrafficRoutingConfigurationException";

/** Bad input → every expected problem: field path and fragments of the reason. */
const BAD: { label: string; config: unknown; problems: [field: string, ...reason: string[]][] }[] = [
  // names
  { label: "ECS singular typo", config: "CodeDeployDefault.ECSLinear10PercentEvery1Minute", problems: [["deploymentConfig", "DeploymentConfigDoesNotExistException", "Did you mean 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes'?"]] },
  { label: "Lambda plural typo", config: "CodeDeployDefault.LambdaLinear10PercentEvery1Minutes", problems: [["deploymentConfig", "DeploymentConfigDoesNotExistException", "Did you mean 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'?"]] },
  { label: "wrong case", config: "codedeploydefault.lambdaallatonce", problems: [["deploymentConfig", "Did you mean 'CodeDeployDefault.LambdaAllAtOnce'?"]] },
  { label: "missing prefix", config: "ECSCanary10Percent5Minutes", problems: [["deploymentConfig", "Did you mean 'CodeDeployDefault.ECSCanary10Percent5Minutes'?"]] },
  { label: "non-existent canary interval", config: "CodeDeployDefault.ECSCanary10Percent10Minutes", problems: [["deploymentConfig", "DeploymentConfigDoesNotExistException", "Did you mean 'CodeDeployDefault.ECSCanary10Percent15Minutes'?"]] },
  { label: "unknown custom name", config: "my-config", problems: [["deploymentConfig", "no deployment config named 'my-config'", "DeploymentConfigDoesNotExistException", "inline"]] },
  { label: "Server config", config: "CodeDeployDefault.OneAtATime", problems: [["deploymentConfig", "EC2/on-premises (Server)", "InvalidComputePlatformException"]] },
  { label: "Server HalfAtATime", config: "CodeDeployDefault.HalfAtATime", problems: [["deploymentConfig", "InvalidComputePlatformException"]] },
  { label: "JSON as text", config: '{"trafficRoutingConfig":{"type":"AllAtOnce"}}', problems: [["deploymentConfig", "looks like JSON"]] },
  { label: "empty string", config: "", problems: [["deploymentConfig", "is required"]] },
  { label: "undefined", config: undefined, problems: [["deploymentConfig", "is required"]] },
  { label: "null", config: null, problems: [["deploymentConfig", "is required"]] },
  { label: "number", config: 10, problems: [["deploymentConfig", "got number"]] },
  { label: "array", config: [{ weight: 10, bakeMinutes: 1 }], problems: [["deploymentConfig", "got array"]] },
  // wrapper
  { label: "empty object", config: {}, problems: [[TRC, "is required", "steps"]] },
  { label: "Server platform", config: { computePlatform: "Server", trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.computePlatform", "minimumHealthyHosts", "InvalidComputePlatformException"]] },
  { label: "platform wrong case", config: { computePlatform: "lambda", trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.computePlatform", "must be Lambda or ECS", "InvalidComputePlatformException", "Did you mean 'Lambda'?"]] },
  { label: "platform not a string", config: { computePlatform: 1, trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.computePlatform", "got 1"]] },
  { label: "reserved name prefix", config: { deploymentConfigName: "CodeDeployDefault.Mine", trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.deploymentConfigName", "may not start with 'CodeDeployDefault.'", "InvalidDeploymentConfigNameException"]] },
  { label: "bad name characters", config: { deploymentConfigName: "my config!", trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.deploymentConfigName", "1-100 characters", "InvalidDeploymentConfigNameException"]] },
  { label: "name too long", config: { deploymentConfigName: "x".repeat(101), trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.deploymentConfigName", "1-100 characters"]] },
  { label: "unwrapped routing", config: { type: "AllAtOnce" }, problems: [["deploymentConfig.type", "belongs inside trafficRoutingConfig"]] },
  { label: "Server-only minimumHealthyHosts", config: { minimumHealthyHosts: { type: "HOST_COUNT", value: 1 }, trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.minimumHealthyHosts", "only to EC2/on-premises (Server)"]] },
  { label: "Server-only zonalConfig", config: { zonalConfig: {}, trafficRoutingConfig: { type: "AllAtOnce" } }, problems: [["deploymentConfig.zonalConfig", "Server"]] },
  { label: "typo steps", config: { stpes: [{ weight: 10, bakeMinutes: 1 }] }, problems: [["deploymentConfig.stpes", "unknown field", "Did you mean 'steps'?"]] },
  { label: "both shapes", config: { trafficRoutingConfig: { type: "AllAtOnce" }, steps: [{ weight: 10, bakeMinutes: 1 }] }, problems: [["deploymentConfig", "not both"]] },
  // trafficRoutingConfig
  { label: "routing not an object", config: { trafficRoutingConfig: "AllAtOnce" }, problems: [[TRC, "must be an object", ROUTING]] },
  { label: "type missing", config: { trafficRoutingConfig: {} }, problems: [[`${TRC}.type`, "is required", ROUTING]] },
  { label: "unknown type", config: { trafficRoutingConfig: { type: "Canary" } }, problems: [[`${TRC}.type`, "unknown type 'Canary'", ROUTING]] },
  { label: "type wrong case", config: { trafficRoutingConfig: { type: "timeBasedLinear" } }, problems: [[`${TRC}.type`, "Did you mean 'TimeBasedLinear'?"]] },
  { label: "unknown routing key", config: { trafficRoutingConfig: { type: "AllAtOnce", timeBasedCanry: {} } }, problems: [[`${TRC}.timeBasedCanry`, "unknown field"]] },
  { label: "canary sub-object missing", config: { trafficRoutingConfig: { type: "TimeBasedCanary" } }, problems: [[CANARY, "is required when type is TimeBasedCanary", ROUTING]] },
  { label: "canary sub-object null", config: { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: null } }, problems: [[CANARY, "is required"]] },
  {
    label: "mismatched sub-object",
    config: { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } } },
    problems: [[CANARY, "is required when type is TimeBasedCanary"], [LINEAR, "must not be set when type is TimeBasedCanary", ROUTING]],
  },
  { label: "AllAtOnce with a canary", config: { trafficRoutingConfig: { type: "AllAtOnce", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } } }, problems: [[CANARY, "must not be set when type is AllAtOnce"]] },
  { label: "linear sub-object missing", config: { trafficRoutingConfig: { type: "TimeBasedLinear" } }, problems: [[LINEAR, "is required when type is TimeBasedLinear"]] },
  { label: "canary not an object", config: canary(10), problems: [[CANARY, "must be an object"]] },
  { label: "canary 0%", config: canary({ canaryPercentage: 0, canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercentage`, "integer from 1 to 99, got 0", ROUTING]] },
  { label: "canary 100%", config: canary({ canaryPercentage: 100, canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercentage`, "got 100"]] },
  { label: "canary 10.5%", config: canary({ canaryPercentage: 10.5, canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercentage`, "got 10.5"]] },
  { label: "canary '10' as text", config: canary({ canaryPercentage: "10", canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercentage`, "got '10'"]] },
  { label: "canary percentage missing", config: canary({ canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercentage`, "is required", ROUTING]] },
  { label: "canary interval 0", config: canary({ canaryPercentage: 10, canaryInterval: 0 }), problems: [[`${CANARY}.canaryInterval`, "positive integer number of minutes", ROUTING]] },
  { label: "canary interval negative", config: canary({ canaryPercentage: 10, canaryInterval: -5 }), problems: [[`${CANARY}.canaryInterval`, "got -5"]] },
  { label: "canary interval fractional", config: canary({ canaryPercentage: 10, canaryInterval: 1.5 }), problems: [[`${CANARY}.canaryInterval`, "got 1.5"]] },
  { label: "canary interval over 2880", config: canary({ canaryPercentage: 10, canaryInterval: 2881 }), problems: [[`${CANARY}.canaryInterval`, "2881 minutes", "at most 2880", ROUTING]] },
  { label: "canary typo key", config: canary({ canaryPercent: 10, canaryInterval: 5 }), problems: [[`${CANARY}.canaryPercent`, "unknown field"], [`${CANARY}.canaryPercentage`, "is required"]] },
  {
    label: "canary both fields bad",
    config: canary({ canaryPercentage: -1, canaryInterval: "5" }),
    problems: [[`${CANARY}.canaryPercentage`, "got -1"], [`${CANARY}.canaryInterval`, "got '5'"]],
  },
  { label: "linear 100%", config: linear({ linearPercentage: 100, linearInterval: 1 }), problems: [[`${LINEAR}.linearPercentage`, "integer from 1 to 99", ROUTING]] },
  { label: "linear interval 0", config: linear({ linearPercentage: 10, linearInterval: 0 }), problems: [[`${LINEAR}.linearInterval`, "positive integer", ROUTING]] },
  { label: "linear interval missing", config: linear({ linearPercentage: 10 }), problems: [[`${LINEAR}.linearInterval`, "is required"]] },
  { label: "linear 1% every 30 min spans 2970 min", config: linear({ linearPercentage: 1, linearInterval: 30 }), problems: [[`${LINEAR}.linearInterval`, "100 shifts", "2970 minutes", "at most 2880", ROUTING]] },
  { label: "linear 10% every 321 min spans 2889 min", config: linear({ linearPercentage: 10, linearInterval: 321 }), problems: [[`${LINEAR}.linearInterval`, "2889 minutes"]] },
  { label: "linear typo key", config: linear({ linearPercentage: 10, linearInterval: 1, linearIntervall: 2 }), problems: [[`${LINEAR}.linearIntervall`, "unknown field"]] },
  // step lists
  { label: "steps not a list", config: steps({ weight: 10 }), problems: [["deploymentConfig.steps", "must be a list"]] },
  { label: "no steps", config: steps([]), problems: [["deploymentConfig.steps", "at least one step"]] },
  { label: "step not an object", config: steps([10]), problems: [["deploymentConfig.steps[0]", "must be an object"]] },
  { label: "weight 0", config: steps([{ weight: 0, bakeMinutes: 1 }]), problems: [["deploymentConfig.steps[0].weight", "integer from 1 to 99"]] },
  { label: "weight 100", config: steps([{ weight: 10, bakeMinutes: 1 }, { weight: 100, bakeMinutes: 1 }]), problems: [["deploymentConfig.steps[1].weight", "100% follows automatically"]] },
  { label: "fractional weight", config: steps([{ weight: 12.5, bakeMinutes: 1 }]), problems: [["deploymentConfig.steps[0].weight", "got 12.5"]] },
  { label: "bake 0", config: steps([{ weight: 10, bakeMinutes: 0 }]), problems: [["deploymentConfig.steps[0].bakeMinutes", "positive integer"]] },
  { label: "bake missing", config: steps([{ weight: 10 }]), problems: [["deploymentConfig.steps[0].bakeMinutes", "is required"]] },
  { label: "bake in seconds by mistake", config: steps([{ weight: 10, bakeSeconds: 60 }]), problems: [["deploymentConfig.steps[0].bakeSeconds", "unknown field"], ["deploymentConfig.steps[0].bakeMinutes", "is required"]] },
  { label: "decreasing weights", config: steps([{ weight: 50, bakeMinutes: 1 }, { weight: 10, bakeMinutes: 1 }]), problems: [["deploymentConfig.steps[1].weight", "greater than the previous step's weight 50"]] },
  { label: "repeated weight", config: steps([{ weight: 10, bakeMinutes: 1 }, { weight: 10, bakeMinutes: 1 }]), problems: [["deploymentConfig.steps[1].weight", "strictly increase"]] },
  { label: "bakes over 2880 min", config: steps([{ weight: 10, bakeMinutes: 2000 }, { weight: 20, bakeMinutes: 881 }]), problems: [["deploymentConfig.steps", "2881 minutes", "at most 2880"]] },
  { label: "100 steps", config: steps(Array.from({ length: 100 }, (_, i) => ({ weight: i + 1, bakeMinutes: 1 }))), problems: [["deploymentConfig.steps", "at most 99"]] },
];

describe("invalid configs", () => {
  it.each(BAD)("$label", ({ config, problems }) => {
    const got = problemsOf(() => resolveConfig(config));
    expect(got.map((p) => p.field)).toEqual(problems.map(([field]) => field));
    problems.forEach(([, ...fragments], i) => {
      for (const fragment of fragments) expect(got[i]!.reason).toContain(fragment);
    });
  });

  it("throws ValidationError with the field for one problem and ValidationErrors listing each for several", () => {
    try {
      resolveConfig(canary({ canaryPercentage: 0, canaryInterval: 5 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ name: "Deploy.InvalidConfig", field: `${CANARY}.canaryPercentage` });
      expect((e as Error).message).toMatch(/^deploymentConfig\.trafficRoutingConfig\.timeBasedCanary\.canaryPercentage: must be an integer from 1 to 99/);
    }
    try {
      resolveConfig(canary({ canaryPercentage: 0, canaryInterval: 0 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ name: "Deploy.InvalidConfig" });
      expect((e as { problems: unknown[] }).problems).toHaveLength(2);
      expect((e as Error).message).toContain("; ");
    }
  });
});
