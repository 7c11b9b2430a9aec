import { Logger } from "@aws-lambda-powertools/logger";
import type { Log } from "../ports/clock.js";

let instance: Logger | undefined;
/** Built on first use, so the log level and service name are read from the environment as it is then. */
const base = (): Logger => {
  instance ??= new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "stepdeploy" });
  return instance;
};

/** Structured JSON logs (Powertools); handlers append the deployment id to every line. */
export const logger: Logger = new Proxy({} as Logger, {
  get: (_, key) => {
    const value = Reflect.get(base(), key);
    return typeof value === "function" ? value.bind(base()) : value;
  },
});

let appended: string[] = [];

export function withDeployment(deploymentId: string | undefined, keys: Record<string, string> = {}): Logger {
  // A warm Lambda serves many deployments (and releases): never carry the previous ids over.
  logger.removeKeys(["deploymentId", ...appended]);
  const next = { ...(deploymentId ? { deploymentId } : {}), ...keys };
  appended = Object.keys(keys);
  logger.appendKeys(next);
  return logger;
}

/** The `Log` port over Powertools: every line carries the deployment id and the given keys (a release id). */
export function deploymentLog(deploymentId?: string, keys?: Record<string, string>): Log {
  const l = withDeployment(deploymentId, keys);
  return {
    info: (message, extra) => l.info(message, extra ?? {}),
    warn: (message, extra) => l.warn(message, extra ?? {}),
    error: (message, extra) => l.error(message, extra ?? {}),
  };
}
