export { bashInstallScript } from "./bash.js";
export { powershellInstallScript } from "./powershell.js";
export { hookEnvironment } from "./environment.js";
export { type EventResult, type EventStatus, parseInstallOutput, type ScriptErrorCode } from "./output.js";
export { serverRevision } from "./revision.js";
export { installDocument } from "./script.js";
export { installSegments, PREVIOUS_REVISION_EVENTS, phaseSegments, SAVED_HOOK_EVENTS, type Segment, type ServerPhase } from "./segments.js";
export { DEFAULT_DEPLOYMENT_ROOT, DEFAULT_KEEP_REVISIONS, type InstallCommand, type PinnedBundle, type ServerRevision } from "./types.js";
