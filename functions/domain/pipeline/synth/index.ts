export { MAX_STATE_NAME, shortHash } from "./names.js";
export { type ProviderKind, providerKind, timeoutSeconds } from "./provider-tasks.js";
export { defaultResources, PIPELINE_FUNCTIONS, type PipelineFunction, type PipelineResources } from "./resources.js";
export { runOrderGroups } from "./stage.js";
export { type SynthOptions, type SynthResult, synthesize } from "./pipeline.js";
