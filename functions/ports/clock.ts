/** Time as the handlers read it: the system clock on AWS, the simulated clock in the simulator. */
export interface Clock {
  nowMs(): number;
}

/** Structured logs (Powertools Logger on AWS), carrying the deployment id. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
