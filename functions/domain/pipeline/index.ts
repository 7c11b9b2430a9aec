export * from "./errors.js";
export { LIMITS } from "./limits.js";
export { findProvider, PROVIDERS, type ProviderSpec } from "./providers.js";
export { type ReadPipelineOptions, readPipeline, readPipelineValue } from "./read-pipeline.js";
export * from "./types.js";
export * from "./variables.js";
