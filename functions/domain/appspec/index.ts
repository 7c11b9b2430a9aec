export { detectPlatform } from "./detect.js";
export { eventOrder, LIFECYCLE, type LifecycleEvent, SERVER_LOAD_BALANCER_EVENTS, scriptableEvents } from "./lifecycle.js";
export { INVALID_APPSPEC, InvalidAppSpecError, loadAppSpec, parseAppSpec } from "./parse.js";
export { formatPath, type PathSegment, ROOT_PATH } from "./path.js";
export { MAX_EVENT_TIMEOUT_SECONDS } from "./server.js";
export * from "./types.js";
