export * from "./artifacts.js";
export * from "./cloudformation.js";
export * from "./codebuild.js";
export * from "./ecs.js";
export * from "./events.js";
export * from "./jobs.js";
export * from "./stage-failure.js";
export * from "./stage-gate.js";
