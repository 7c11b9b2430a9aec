// Adds each pipeline of pipelines/ to the stack as an AWS::StepFunctions::StateMachine with its own
// least-privilege role (config/pipelines-stack.ts compiles them). Plain resources, not
// serverless-step-functions entries: that plugin rewrites every `#{...}` into a `${...}` substitution,
// which would break CodePipeline's `#{Namespace.Var}` variables.
const { loadStack } = require("./pipelines.cjs");

class StepDeployPipelines {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { "before:package:finalize": () => this.addPipelines() };
  }

  addPipelines() {
    const service = this.serverless.service;
    const stage = this.serverless.getProvider("aws").getStage();
    const { parts, gitFetch } = loadStack(service.service, stage);
    service.resources ??= {};
    service.resources.Resources ??= {};
    for (const part of parts) {
      service.resources.Resources[part.logicalId] = part.stateMachine;
      service.resources.Resources[part.roleLogicalId] = part.role;
    }
    Object.assign(service.resources.Resources, gitFetch ?? {});
    this.serverless.cli?.log?.(`stepdeploy: ${parts.length} pipeline state machine(s) from pipelines/`);
  }
}

module.exports = StepDeployPipelines;
