// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pipeline, readPipeline } from "../../../functions/domain/pipeline/index.js";
import { stateMachineName } from "../../../functions/domain/pipeline/stack/stack.js";
import { pipelineTriggers, triggerPatterns } from "../../../functions/domain/pipeline/stack/triggers.js";
import { PACKAGE_STAGE } from "../../../scripts/package-service.js";
import { asList, type CfnTemplate, type PackagedService, packagedService, ROOT, roleStatements } from "../deploy/package-fixture.js";

/**
 * The pipelines of pipelines/ in the packaged stack (the run's one `osls package`): one state machine
 * each with its own role, the pipeline functions with least-privilege roles, the trigger rules.
 */
let pkg: PackagedService;
beforeAll(async () => {
  pkg = await packagedService();
}, 180_000);
afterAll(() => pkg?.cleanup());

const DIR = path.join(ROOT, "pipelines");
const pipelines: Pipeline[] = readdirSync(DIR).filter((f) => /\.(json|ya?ml)$/.test(f)).map((f) => readPipeline(readFileSync(path.join(DIR, f), "utf8")).pipeline as Pipeline);
const TABLE = { "Fn::GetAtt": ["RegistryTable", "Arn"] };
const machines = (t: CfnTemplate) => Object.entries(t.Resources).filter(([id, r]) => r.Type === "AWS::StepFunctions::StateMachine" && id.startsWith("Pipeline"));
const statement = (role: string, sid: string) => {
  const st = roleStatements(pkg.template, role).find((s) => s.Sid === sid);
  if (!st) throw new Error(`${role} has no statement ${sid}`);
  return st;
};

describe("packaged template: one state machine per pipeline in pipelines/", () => {
  it("names each stepdeploy-<stage>-pipeline-<name>, STANDARD, with its own role", () => {
    const names = machines(pkg.template).map(([, r]) => r.Properties?.["StateMachineName"]);
    expect(names.sort()).toEqual(pipelines.map((p) => stateMachineName("stepdeploy", PACKAGE_STAGE, p.name)).sort());
    for (const [id, r] of machines(pkg.template)) {
      expect(r.Properties?.["StateMachineType"], id).toBe("STANDARD");
      expect(r.Properties?.["RoleArn"], id).toEqual({ "Fn::GetAtt": [`${id}Role`, "Arn"] });
    }
  });

  it("keeps CodePipeline's #{Namespace.Var} verbatim, substitutes only our functions and the deployment machine, and names every action in a state", () => {
    for (const [id, r] of machines(pkg.template)) {
      const sub = r.Properties?.["DefinitionString"] as { "Fn::Sub": [string, Record<string, unknown>] } | undefined;
      if (!sub) throw new Error(`${id} has no DefinitionString`);
      const [text, vars] = sub["Fn::Sub"];
      const subs = [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1] as string);
      expect(subs.every((s) => s in vars), id).toBe(true);
      expect(Object.values(vars).every((v) => JSON.stringify(v).match(/"Pipeline[A-Za-z]+LambdaFunction"|"DeployLambdaStateMachine"/)), id).toBe(true);
      const p = pipelines.find((x) => r.Properties?.["StateMachineName"] === stateMachineName("stepdeploy", PACKAGE_STAGE, x.name)) as Pipeline;
      const states = Object.keys(JSON.parse(text.replace(/\$\{!/g, "${")).States as object).join("\n") + text;
      for (const s of p.stages) for (const a of s.actions) expect(states, `${id} ${s.name}.${a.name}`).toContain(`"${s.name}.${a.name}"`);
      if (JSON.stringify(p).includes("#{")) expect(text, id).toMatch(/#\{[A-Za-z]+\.[A-Za-z]+\}/);
    }
  });

  it("each machine's role: only its own pipeline functions, the CodeBuild projects its actions name, and the deployment machine when it deploys", () => {
    const demo = "PipelineDemoStateMachineRole";
    const invoked = asList(statement(demo, "InvokePipelineFunctions").Resource).filter((r) => JSON.stringify(r).includes("GetAtt")).map((r) => (r as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0]);
    expect(invoked).not.toContain("PipelinePollActionLambdaFunction");
    expect(invoked).toContain("PipelineApprovalLambdaFunction");
    expect(statement(demo, "RunBuilds").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/demo-app-build" }]);
    expect(statement(demo, "StartDeployments").Resource).toEqual([{ Ref: "DeployLambdaStateMachine" }]);
    expect(roleStatements(pkg.template, demo).map((s) => s.Sid)).not.toContain("StartRollbackExecutions");
    const seed = machines(pkg.template).find(([, r]) => String(r.Properties?.["StateMachineName"]).endsWith("-seed-app"))?.[0] as string;
    expect(asList(statement(`${seed}Role`, "RunBuilds").Resource).map((r) => JSON.stringify(r))).toEqual([expect.stringContaining("project/seed-app-build"), expect.stringContaining(`project/stepdeploy-${PACKAGE_STAGE}-git-fetch`)]);
  });
});

describe("packaged template: the git-fetch project (seed-app has a CodeCommit source)", () => {
  it("one CodeBuild project, named as the functions that start fetches expect, with no source or buildspec of its own", () => {
    const projects = Object.entries(pkg.template.Resources).filter(([, r]) => r.Type === "AWS::CodeBuild::Project");
    expect(projects.map(([id]) => id)).toEqual(["GitFetchProject"]);
    const env = pkg.template.Resources["PipelineStartLambdaFunction"]?.Properties?.["Environment"] as { Variables: Record<string, unknown> };
    expect(projects[0]?.[1].Properties).toMatchObject({ Name: env.Variables["GIT_FETCH_PROJECT"], Source: { Type: "NO_SOURCE" }, Artifacts: { Type: "NO_ARTIFACTS" }, ServiceRole: { "Fn::GetAtt": ["GitFetchProjectRole", "Arn"] } });
  });

  it("its role pulls only seed-app's repository and writes only under seed-app's artifact folder", () => {
    expect(roleStatements(pkg.template, "GitFetchProjectRole").map((s) => s.Sid)).toEqual(["OwnLogs", "WriteSourceArtifacts", "PullRepositories"]);
    expect(statement("GitFetchProjectRole", "WriteSourceArtifacts").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:s3:::seed-app-artifacts/seed-app/*" }]);
    expect(statement("GitFetchProjectRole", "PullRepositories").Resource).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:seed-app" }]);
  });
});

describe("packaged template: the git webhook", () => {
  it("a public function URL only when a pipeline of pipelines/ watches a git connection; its role reads the one secret and starts only pipelines", () => {
    const watched = pipelines.some((p) => pipelineTriggers(p, "x").some((t) => "git" in t));
    expect(Object.values(pkg.template.Resources).some((r) => r.Type === "AWS::Lambda::Url")).toBe(watched);
    expect(roleStatements(pkg.template, "PipelineWebhookRole").map((s) => s.Sid)).toEqual(["Logs", "ReadWebhookSecret", "StartPipelines", "FindStartedPipelines"]);
    expect(statement("PipelineWebhookRole", "ReadWebhookSecret")).toMatchObject({ Action: ["ssm:GetParameter"], Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/stepdeploy-git-webhook-secret" }] });
    expect(statement("PipelineWebhookRole", "StartPipelines").Resource).toEqual(statement("PipelineTriggerRole", "StartPipelines").Resource);
    const env = pkg.template.Resources["PipelineWebhookLambdaFunction"]?.Properties?.["Environment"] as { Variables: Record<string, unknown> };
    expect(env.Variables["GIT_WEBHOOK_SECRET_PARAMETER"]).toBe("stepdeploy-git-webhook-secret");
  });
});

describe("packaged template: pipeline functions", () => {
  it.each([
    ["PipelineStartRole", ["dynamodb:GetItem", "dynamodb:PutItem"]],
    ["PipelineEnterStageRole", ["dynamodb:GetItem", "dynamodb:PutItem"]],
    ["PipelineStageFailedRole", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]],
    ["PipelineActionEndRole", ["dynamodb:GetItem", "dynamodb:PutItem"]],
    ["PipelineJanitorRole", ["dynamodb:GetItem", "dynamodb:PutItem"]],
  ])("%s: the registry table only, with %j", (role, actions) => {
    expect(statement(role, "PipelineRegistry")).toMatchObject({ Action: actions, Resource: [TABLE] });
  });

  it("the run-action function reads pinned sources and the pipelines' artifact folders, and writes only artifacts and deploy targets; the poll function writes only artifacts", () => {
    expect(statement("PipelineRunActionRole", "ReadSourcesAndArtifacts").Resource).toEqual(["arn:aws:s3:::seed-app-artifacts/seed-app/*", "arn:aws:s3:::stepdeploy-demo-artifacts/demo/*", "arn:aws:s3:::stepdeploy-demo-sources/demo-app.zip"]);
    expect(statement("PipelineRunActionRole", "WriteArtifactsAndDeployTargets").Resource).toEqual(["arn:aws:s3:::seed-app-artifacts/seed-app/*", "arn:aws:s3:::stepdeploy-demo-artifacts/demo/*"]);
    expect(roleStatements(pkg.template, "PipelinePollActionRole").map((s) => s.Sid)).toEqual(["Logs", "WatchEcsServices", "DeployCloudFormationStacks", "PassCloudFormationRoles", "WriteOutputArtifacts", "ReadLargeTemplates", "WatchBeanstalkEnvironments"]);
    expect(statement("PipelinePollActionRole", "ReadLargeTemplates")).toMatchObject({ Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::seed-app-artifacts/seed-app/*", "arn:aws:s3:::stepdeploy-demo-artifacts/demo/*"] });
    // the poll ends a CloudFormation action by writing its output artifact: the artifact folders only, no deploy target
    expect(statement("PipelinePollActionRole", "WriteOutputArtifacts")).toMatchObject({ Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::seed-app-artifacts/seed-app/*", "arn:aws:s3:::stepdeploy-demo-artifacts/demo/*"] });
  });

  it("ECS deploy grants: the services pipelines/ names (none here), and the task definition and PassRole grants only when a pipeline deploys to ECS", () => {
    const none = [{ "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/-no-pipeline-source-/-no-pipeline-source-" }];
    expect(statement("PipelineRunActionRole", "RollEcsServices")).toMatchObject({ Action: ["ecs:DescribeServices", "ecs:UpdateService"], Resource: none });
    expect(statement("PipelinePollActionRole", "WatchEcsServices")).toMatchObject({ Action: ["ecs:DescribeServices"], Resource: none });
    expect((pkg.template as unknown as { Conditions?: Record<string, unknown> }).Conditions?.["PipelinesDeployToEcs"]).toEqual({ "Fn::Equals": ["false", "true"] });
    const policy = pkg.template.Resources["PipelineEcsDeployPolicy"] as unknown as { Condition: string; Properties: { Roles: unknown[]; PolicyDocument: { Statement: { Sid: string; Action: string[]; Resource: string; Condition?: unknown }[] } } };
    expect(policy.Condition).toBe("PipelinesDeployToEcs");
    expect(policy.Properties.Roles).toEqual([{ Ref: "PipelineRunActionRole" }]);
    expect(policy.Properties.PolicyDocument.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["RegisterEcsRevisions", ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*"],
      ["PassEcsTaskRoles", ["iam:PassRole"], "*"],
    ]);
    expect(policy.Properties.PolicyDocument.Statement[1]?.Condition).toEqual({ StringLike: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
  });

  it("CloudFormation deploy grants: the stacks pipelines/ names (none here) with their change sets, and PassRole of their RoleArn to CloudFormation only", () => {
    const stacks = [{ "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/-no-pipeline-source-/*" }];
    const roles = [{ "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/-no-pipeline-source-" }];
    // the run starts every plan (and reads events: a retried start finds its own operation); a poll reads, and only ever creates the stack after REPLACE_ON_FAILURE's delete
    const actions: Record<string, string[]> = {
      PipelineRunActionRole: ["cloudformation:CreateChangeSet", "cloudformation:CreateStack", "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack", "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet", "cloudformation:UpdateStack"],
      PipelinePollActionRole: ["cloudformation:CreateStack", "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks"],
    };
    for (const role of ["PipelineRunActionRole", "PipelinePollActionRole"]) {
      const deploy = statement(role, "DeployCloudFormationStacks");
      expect(deploy.Resource, role).toEqual(stacks);
      expect(asList(deploy.Action).sort(), role).toEqual(actions[role]);
      expect(statement(role, "PassCloudFormationRoles"), role).toMatchObject({ Action: ["iam:PassRole"], Resource: roles, Condition: { StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } } });
    }
  });

  it("Elastic Beanstalk deploy grants: versions and environments of the applications pipelines/ names (none here), bundles only under their folder of EB's storage bucket", () => {
    const envs = [{ "Fn::Sub": "arn:${AWS::Partition}:elasticbeanstalk:${AWS::Region}:${AWS::AccountId}:environment/-no-pipeline-source-/-no-pipeline-source-" }];
    expect(statement("PipelineRunActionRole", "DeployBeanstalkVersions")).toMatchObject({ Action: ["elasticbeanstalk:CreateApplicationVersion"], Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:elasticbeanstalk:${AWS::Region}:${AWS::AccountId}:applicationversion/-no-pipeline-source-/*" }] });
    expect(statement("PipelineRunActionRole", "UpdateBeanstalkEnvironments")).toMatchObject({ Action: ["elasticbeanstalk:UpdateEnvironment", "elasticbeanstalk:DescribeEnvironments"], Resource: envs });
    expect(statement("PipelineRunActionRole", "CopyBeanstalkBundles")).toMatchObject({ Action: ["s3:PutObject"], Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:s3:::-no-pipeline-source-/*" }] });
    expect(statement("PipelinePollActionRole", "WatchBeanstalkEnvironments")).toMatchObject({ Action: ["elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:DescribeEvents"], Resource: envs });
  });

  it("the trigger starts only this stack's pipeline machines, from S3, ECR and CodeCommit rules filtered by what pipelines/ watches", () => {
    expect(asList(statement("PipelineTriggerRole", "StartPipelines").Resource).map((r) => JSON.stringify(r)).sort()).toEqual(pipelines.map((p) => expect.stringContaining(`stateMachine:${stateMachineName("stepdeploy", PACKAGE_STAGE, p.name)}"`)).sort());
    // Least privilege: its logs, StartExecution of these machines, DescribeExecution of their executions (a repeated delivery).
    expect(roleStatements(pkg.template, "PipelineTriggerRole").map((st) => [st.Sid, asList(st.Action)])).toEqual([
      ["Logs", ["logs:CreateLogStream", "logs:PutLogEvents"]],
      ["StartPipelines", ["states:StartExecution"]],
      ["FindStartedPipelines", ["states:DescribeExecution"]],
    ]);
  });

  it("each trigger rule: the pattern triggerPatterns makes (what pipeline simulate routes through), one target (the trigger Lambda, retried, dead letters kept), invocable by that rule only", () => {
    const triggers = pipelines.flatMap((p) => pipelineTriggers(p, stateMachineName("stepdeploy", PACKAGE_STAGE, p.name)));
    const want = triggerPatterns(triggers);
    const rules = Object.entries(pkg.template.Resources).filter(([, r]) => r.Type === "AWS::Events::Rule" && JSON.stringify(r.Properties?.["Targets"]).includes("PipelineTriggerLambdaFunction"));
    expect(rules.map(([, r]) => r.Properties?.["EventPattern"])).toEqual([want.s3, want.ecr, want.codecommit]);
    // pipelines/ watches an S3 object (demo) and a CodeCommit branch (seed-app), no ECR repository: its rule matches nothing.
    expect(want.s3.detail).toEqual({ bucket: { name: ["stepdeploy-demo-sources"] }, object: { key: ["demo-app.zip"] } });
    expect(want.codecommit.detail).toEqual({ event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], repositoryName: ["seed-app"], referenceName: ["main"] });
    expect(want.ecr.detail).toEqual({ "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ["-no-pipeline-source-"] });
    const permissions = Object.values(pkg.template.Resources).filter((r) => r.Type === "AWS::Lambda::Permission" && JSON.stringify(r.Properties?.["FunctionName"]).includes("PipelineTriggerLambdaFunction"));
    for (const [id, r] of rules) {
      const name = r.Properties?.["Name"] as string;
      expect(r.Properties?.["State"], id).toBe("ENABLED");
      expect(r.Properties?.["Targets"], id).toEqual([
        { Arn: { "Fn::GetAtt": ["PipelineTriggerLambdaFunction", "Arn"] }, Id: expect.any(String), RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 }, DeadLetterConfig: { Arn: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] } } },
      ]);
      const allowed = permissions.filter((x) => JSON.stringify(x.Properties?.["SourceArn"]).includes(`"rule","${name}"`));
      expect(allowed.map((x) => [x.Properties?.["Action"], x.Properties?.["Principal"]]), id).toEqual([["lambda:InvokeFunction", "events.amazonaws.com"]]);
    }
    expect(permissions).toHaveLength(rules.length);
    // The Lambda matches the exact pairs these patterns only narrow down: it gets the same triggers.
    const env = pkg.template.Resources["PipelineTriggerLambdaFunction"]?.Properties?.["Environment"] as { Variables: Record<string, string> } | undefined;
    expect(JSON.parse(env?.Variables["PIPELINE_TRIGGERS"] ?? "null")).toEqual(triggers);
  });

  it("the janitor hears only this stack's pipeline machines dying", () => {
    const rule = Object.values(pkg.template.Resources).find((r) => r.Type === "AWS::Events::Rule" && JSON.stringify(r.Properties?.["Targets"]).includes("PipelineJanitorLambdaFunction"));
    const pattern = rule?.Properties?.["EventPattern"] as { detail: { status: string[]; stateMachineArn: unknown[] } };
    expect(pattern.detail.status).toEqual(["ABORTED", "TIMED_OUT", "FAILED"]);
    expect(pattern.detail.stateMachineArn).toHaveLength(pipelines.length);
  });
});
