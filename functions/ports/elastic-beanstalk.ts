/**
 * Elastic Beanstalk as a pipeline's ElasticBeanstalk deploy action uses it: a new application
 * version from an S3 bundle, an environment update to it, the environment's status and health, and
 * its events (for the failure message). Refusals are errors naming EB's error and message.
 */
export interface EnvironmentView {
  name: string;
  id: string;
  status: string;
  health: string;
  versionLabel?: string;
}

export interface EnvironmentEvent {
  atMs: number;
  severity: string;
  message: string;
}

export interface ElasticBeanstalkPort {
  /** CreateApplicationVersion; `existed` when a version of that label is already there (a retried call). */
  createApplicationVersion(application: string, label: string, bundle: { bucket: string; key: string }, description: string): Promise<{ existed: boolean }>;
  updateEnvironment(application: string, environment: string, label: string): Promise<EnvironmentView>;
  describeEnvironment(application: string, environment: string): Promise<EnvironmentView | undefined>;
  /** The environment's events since a time, WARN and worse, newest first. */
  events(application: string, environment: string, sinceMs: number): Promise<EnvironmentEvent[]>;
}
