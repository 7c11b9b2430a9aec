import { Logger } from "@aws-lambda-powertools/logger";

/** Structured JSON logs (Powertools); handlers append the deployment id to every line. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "stepdeploy" });

export function withDeployment(deploymentId: string | undefined): Logger {
  // A warm Lambda serves many deployments: never carry the previous id over.
  logger.removeKeys(["deploymentId"]);
  if (deploymentId) logger.appendKeys({ deploymentId });
  return logger;
}
