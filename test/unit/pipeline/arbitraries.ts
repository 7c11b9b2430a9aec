import fc from "fast-check";
import type { Json } from "./base.js";

/**
 * Valid pipelines as create-pipeline inputs: a source stage of 1-3 sources, then 1-5 stages of
 * CodeBuild, Manual approval, CodeDeploy and Lambda actions at random runOrders, each input taken
 * from an artifact produced by an earlier stage.
 */
const nameChar = fc.constantFrom(..."abcXYZ019.@-_");
const artifactChar = fc.constantFrom(..."abcXYZ019-_");
const name = (chars: fc.Arbitrary<string>, max = 12) => fc.string({ unit: chars, minLength: 1, maxLength: max });

const SOURCES = [
  { provider: "S3", configuration: { S3Bucket: "sources", S3ObjectKey: "app.zip" } },
  { provider: "ECR", configuration: { RepositoryName: "app" } },
  { provider: "CodeCommit", configuration: { RepositoryName: "app", BranchName: "main" } },
];

type Kind = "build" | "approval" | "deploy" | "lambda";

interface Plan {
  stageNames: string[];
  sources: number[];
  stages: { kind: Kind; runOrder: number; pick: number; produces: boolean }[][];
  artifactSeed: string;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  stageNames: fc.uniqueArray(name(nameChar), { minLength: 2, maxLength: 6 }),
  sources: fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 3 }),
  stages: fc.array(
    fc.array(fc.record({ kind: fc.constantFrom<Kind>("build", "approval", "deploy", "lambda"), runOrder: fc.integer({ min: 1, max: 999 }), pick: fc.nat(), produces: fc.boolean() }), { minLength: 1, maxLength: 5 }),
    { minLength: 5, maxLength: 5 },
  ),
  artifactSeed: name(artifactChar, 8),
});

function build(plan: Plan): Json {
  const available: string[] = [];
  let counter = 0;
  const artifact = () => `${plan.artifactSeed}-${counter++}`;
  const stages: Json[] = [];
  const sourceActions = plan.sources.map((which, i) => {
    const out = artifact();
    const src = SOURCES[which] as (typeof SOURCES)[number];
    return { name: `Source${i}`, actionTypeId: { category: "Source", owner: "AWS", provider: src.provider, version: "1" }, configuration: src.configuration, outputArtifacts: [{ name: out }] };
  });
  stages.push({ name: plan.stageNames[0], actions: sourceActions });
  available.push(...sourceActions.map((a) => a.outputArtifacts[0]?.name as string));
  for (const [s, stageName] of plan.stageNames.slice(1).entries()) {
    const produced: string[] = [];
    const actions = (plan.stages[s] ?? []).map((a, i) => {
      const input = available[a.pick % available.length] as string;
      const base = { name: `${a.kind}${i}`, runOrder: a.runOrder };
      switch (a.kind) {
        case "build": {
          const outputs = a.produces ? [{ name: artifact() }] : [];
          produced.push(...outputs.map((o) => o.name));
          return { ...base, actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "p" }, inputArtifacts: [{ name: input }], outputArtifacts: outputs };
        }
        case "approval":
          return { ...base, actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" } };
        case "deploy":
          return { ...base, actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeploy", version: "1" }, configuration: { ApplicationName: "a", DeploymentGroupName: "g" }, inputArtifacts: [{ name: input }] };
        default:
          return { ...base, actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" }, configuration: { FunctionName: "f" }, inputArtifacts: a.produces ? [{ name: input }] : [] };
      }
    });
    stages.push({ name: stageName, actions });
    available.push(...produced);
  }
  return { pipeline: { name: "generated", roleArn: "arn:aws:iam::111122223333:role/p", artifactStore: { type: "S3", location: "artifacts" }, stages } };
}

export const validPipeline: fc.Arbitrary<Json> = planArb.map(build);

/** The same declaration as an AWS::CodePipeline::Pipeline resource: PascalCase keys, configuration kept. */
export function toCloudFormation(input: Json): Json {
  const pascal = (v: unknown, inConfiguration = false): unknown => {
    if (Array.isArray(v)) return v.map((x) => pascal(x));
    if (!v || typeof v !== "object") return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => (inConfiguration ? [k, x] : [k.charAt(0).toUpperCase() + k.slice(1), pascal(x, k === "configuration")])));
  };
  return { Resources: { Pipeline: { Type: "AWS::CodePipeline::Pipeline", Properties: pascal(input["pipeline"]) } } };
}
