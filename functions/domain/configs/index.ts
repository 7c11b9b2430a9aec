/** Deployment configurations as pure code: predefined names, custom shapes, schedules. No AWS calls. */
export { describeConfig, describeSchedule, formatClock, renderScheduleTable, type ScheduleRow, T0_NOTE, timingModelNote } from "./describe.js";
export {
  CONFIG_ERROR_NAME,
  CodeDeployException,
  CUSTOM_CONFIG_NAME,
  MAX_PERCENTAGE,
  MAX_SHIFT_SPAN_MINUTES,
  MIN_PERCENTAGE,
  PREDEFINED_PREFIX,
  ROOT_FIELD,
} from "./limits.js";
export {
  isPredefinedConfigName,
  PREDEFINED_CONFIG_NAMES,
  PREDEFINED_CONFIGS,
  type PredefinedConfig,
  type PredefinedConfigName,
  SERVER_CONFIG_NAMES,
} from "./predefined.js";
export { resolveConfig, resolveSchedule } from "./resolve.js";
export { linearShiftCount, shiftSpanMinutes, stepListSpanMinutes, stepsForBakeList, stepsForRouting } from "./timing.js";
export type {
  BakeStep,
  ComputePlatform,
  ResolvedConfig,
  Schedule,
  ScheduleKind,
  TimeBasedCanary,
  TimeBasedLinear,
  TrafficRoutingConfig,
  TrafficRoutingType,
  TrafficStep,
} from "./types.js";
export { MAX_STEPS } from "./validate-steps.js";
