import { describe, expect, it } from "vitest";
import { parseEcsRevision } from "../../../functions/domain/ecs/index.js";
import { TD, problemsOf } from "./fixtures.js";

const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "${TD}"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 80
        PlatformVersion: "LATEST"
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets: ["subnet-1"]
            SecurityGroups: ["sg-1"]
            AssignPublicIp: "DISABLED"
Hooks:
  - AfterAllowTestTraffic: "CodeDeployHook_smoke"
  - BeforeInstall: "CodeDeployHook_prepare"
`;

describe("parseEcsRevision", () => {
  it("reads an ECS AppSpec given as YAML text: the task set properties and the hooks", () => {
    expect(parseEcsRevision({ appSpecContent: APPSPEC })).toEqual({
      revision: { taskDefinition: TD, containerName: "web", containerPort: 80, platformVersion: "LATEST", networkConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" } },
      hooks: { BeforeInstall: "CodeDeployHook_prepare", AfterAllowTestTraffic: "CodeDeployHook_smoke" },
    });
  });

  it("reads the same AppSpec given as an object", () => {
    const object = {
      version: 0.0,
      Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: { TaskDefinition: TD, LoadBalancerInfo: { ContainerName: "web", ContainerPort: 80 } } } }],
      Hooks: [{ BeforeAllowTraffic: "CodeDeployHook_pre" }],
    };
    expect(parseEcsRevision({ appSpecContent: object })).toEqual({ revision: { taskDefinition: TD, containerName: "web", containerPort: 80 }, hooks: { BeforeAllowTraffic: "CodeDeployHook_pre" } });
  });

  it("takes the properties directly, with a task definition given as family or family:revision", () => {
    expect(parseEcsRevision({ taskDefinition: "web", containerName: "web", containerPort: 80 })).toEqual({ revision: { taskDefinition: "web", containerName: "web", containerPort: 80 }, hooks: {} });
    expect(parseEcsRevision({ taskDefinition: "web:7", networkConfiguration: { awsvpcConfiguration: { subnets: ["s"] } } }).revision).toEqual({ taskDefinition: "web:7", networkConfiguration: { subnets: ["s"] } });
  });

  it.each([
    [{ appSpecContent: APPSPEC.replace(TD, "<TASK_DEFINITION>") }, "revision.appSpecContent"],
    [{ appSpecContent: APPSPEC.replace("ContainerPort: 80", "ContainerPort: 0") }, "ContainerPort must be a whole number from 1 to 65535"],
    [{ appSpecContent: APPSPEC, taskDefinition: "web" }, "revision.taskDefinition: cannot be given beside appSpecContent"],
    [{ taskDefinition: "web:0" }, "revision.taskDefinition: must be a task definition ARN"],
    [{ taskDefinition: "web", containerPort: "80" }, "revision.containerPort: must be a whole number"],
    [{ taskDefinition: "web", image: "x" }, "revision.image: unknown field"],
    [{}, "revision.taskDefinition"],
  ])("refuses %j, naming the field", (raw, problem) => {
    expect(problemsOf(() => parseEcsRevision(raw)).join("\n")).toContain(problem);
  });
});
