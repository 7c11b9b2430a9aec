export { BundleError, type BundleErrorName, BundleErrorNames } from "./errors.js";
export { inspectBundle, isBundleType, sniff } from "./inspect.js";
export { appSpecTooLarge, type BundleLimits, DEFAULT_BUNDLE_LIMITS, resolveLimits } from "./limits.js";
export { normalizeEntryPath, resolveLinkTarget } from "./paths.js";
export { APPSPEC_NAMES } from "./entry-checks.js";
export * from "./types.js";
