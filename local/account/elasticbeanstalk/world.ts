import { createHash } from "node:crypto";
import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";

/**
 * The simulated Elastic Beanstalk: applications, their versions, and environments whose deployments
 * unfold on the SimClock. UpdateEnvironment with a VersionLabel makes the environment Updating, with
 * EB's events as it deploys; after the environment's `deploySeconds` it is Ready again: Green on the new
 * version, or (a scripted failure, `failDeployments: [n]` = the n-th deployment) Red on the previous one
 * with ERROR events. Refusals are EB's (`InvalidParameterValue` with its messages, Elastic Beanstalk API
 * reference: CreateApplicationVersion, UpdateEnvironment, DescribeEnvironments, DescribeEvents); wordings
 * not quoted from AWS are marked as ours.
 */
export const DEFAULT_DEPLOY_SECONDS = 60;

export interface EbEvent {
  atSeconds: number;
  severity: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
  message: string;
  applicationName: string;
  environmentName?: string;
  versionLabel?: string;
}

export interface ApplicationVersion {
  label: string;
  bucket: string;
  key: string;
  createdAt: number;
}

export interface Application {
  name: string;
  versions: Map<string, ApplicationVersion>;
}

export interface Environment {
  name: string;
  id: string;
  application: Application;
  deploySeconds: number;
  failDeployments: number[];
  deployments: number;
  /** What the environment runs, from a second on (the last one whose second has come is current). */
  states: { atSeconds: number; status: string; health: string; versionLabel?: string }[];
}

const invalid = (message: string) => new AwsError("InvalidParameterValue", message, { status: 400 });

export class ElasticBeanstalkWorld {
  readonly applications = new Map<string, Application>();
  readonly environments = new Map<string, Environment>();
  readonly events: EbEvent[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly accountId: string,
  ) {}

  now(): number {
    return this.clock.elapsedSeconds();
  }

  createApplication(name: string): Application {
    const app = { name, versions: new Map<string, ApplicationVersion>() };
    this.applications.set(name, app);
    return app;
  }

  createEnvironment(app: Application, spec: { name: string; versionLabel?: string; deploySeconds?: number; failDeployments?: number[] }): Environment {
    const id = `e-${createHash("sha256").update(`${this.accountId}/${spec.name}`).digest("hex").slice(0, 10)}`;
    const env: Environment = { name: spec.name, id, application: app, deploySeconds: spec.deploySeconds ?? DEFAULT_DEPLOY_SECONDS, failDeployments: spec.failDeployments ?? [], deployments: 0, states: [{ atSeconds: this.now() - 3600, status: "Ready", health: "Green", ...(spec.versionLabel && { versionLabel: spec.versionLabel }) }] };
    if (spec.versionLabel && !app.versions.has(spec.versionLabel)) app.versions.set(spec.versionLabel, { label: spec.versionLabel, bucket: `elasticbeanstalk-setup-${this.accountId}`, key: `${app.name}/${spec.versionLabel}.zip`, createdAt: this.now() - 3600 });
    this.environments.set(spec.name, env);
    return env;
  }

  application(name: string): Application {
    const app = this.applications.get(name);
    if (!app) throw invalid(`No Application named '${name}' found.`);
    return app;
  }

  /** CreateApplicationVersion: a label is unique per application ("Application Version <label> already exists."). */
  createApplicationVersion(appName: string, label: string, bucket: string, key: string): ApplicationVersion {
    const app = this.application(appName);
    if (!/^.{1,100}$/.test(label)) throw invalid("1 validation error detected: Value at 'versionLabel' failed to satisfy constraint: Member must have length less than or equal to 100");
    if (app.versions.has(label)) throw invalid(`Application Version ${label} already exists.`);
    const v = { label, bucket, key, createdAt: this.now() };
    app.versions.set(label, v);
    return v;
  }

  state(env: Environment, at = this.now()): Environment["states"][number] {
    return env.states.filter((s) => s.atSeconds <= at).at(-1) as Environment["states"][number];
  }

  environment(name: string, appName?: string): Environment {
    const env = this.environments.get(name);
    if (!env || (appName !== undefined && env.application.name !== appName)) throw invalid(`No Environment found for EnvironmentName = '${name}'.`);
    return env;
  }

  private event(env: Environment, atSeconds: number, severity: EbEvent["severity"], message: string, versionLabel?: string): void {
    this.events.push({ atSeconds, severity, message, applicationName: env.application.name, environmentName: env.name, ...(versionLabel && { versionLabel }) });
  }

  /**
   * UpdateEnvironment with a VersionLabel: only a Ready environment ("Environment named <name> is in an
   * invalid state for this operation. Must be Ready."), only a version of its application ("No
   * Application Version named '<label>' found.").
   */
  updateEnvironment(name: string, appName: string | undefined, versionLabel: string): Environment {
    const env = this.environment(name, appName);
    const current = this.state(env);
    if (current.status !== "Ready") throw invalid(`Environment named ${name} is in an invalid state for this operation. Must be Ready.`);
    if (!env.application.versions.has(versionLabel)) throw invalid(`No Application Version named '${versionLabel}' found.`);
    env.deployments += 1;
    const t0 = this.now();
    const t1 = t0 + env.deploySeconds;
    const fails = env.failDeployments.includes(env.deployments);
    env.states.push({ atSeconds: t0, status: "Updating", health: "Grey", ...(current.versionLabel && { versionLabel: current.versionLabel }) });
    this.event(env, t0, "INFO", "Environment update is starting.");
    this.event(env, t0 + 1, "INFO", `Deploying new version to instance(s).`, versionLabel);
    if (fails) {
      this.event(env, t1, "ERROR", `[Instance: i-0${env.id.slice(2)}0000000] Command failed on instance. Return code: 1 Output: Engine execution has encountered an error..`, versionLabel);
      this.event(env, t1, "ERROR", "Failed to deploy application.", versionLabel);
      this.event(env, t1, "ERROR", "Update environment operation is complete, but with errors. For more information, see troubleshooting documentation.");
      env.states.push({ atSeconds: t1, status: "Ready", health: "Red", ...(current.versionLabel && { versionLabel: current.versionLabel }) });
    } else {
      this.event(env, t1, "INFO", "Instance deployment completed successfully.", versionLabel);
      this.event(env, t1, "INFO", `New application version was deployed to running EC2 instances.`, versionLabel);
      this.event(env, t1, "INFO", "Environment update completed successfully.");
      env.states.push({ atSeconds: t1, status: "Ready", health: "Green", versionLabel });
    }
    return env;
  }

  /** DescribeEvents: newest first, at most `max` (EB's default page is 1000). */
  eventsSince(filter: { applicationName?: string; environmentName?: string; startSeconds?: number; severity?: string }, max = 1000): EbEvent[] {
    const order = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
    return this.events
      .filter((e) => e.atSeconds <= this.now())
      .filter((e) => (filter.applicationName === undefined || e.applicationName === filter.applicationName) && (filter.environmentName === undefined || e.environmentName === filter.environmentName))
      .filter((e) => filter.startSeconds === undefined || e.atSeconds >= filter.startSeconds)
      .filter((e) => filter.severity === undefined || order.indexOf(e.severity) >= order.indexOf(filter.severity))
      .reverse()
      .slice(0, max);
  }
}
