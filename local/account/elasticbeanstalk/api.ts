import { AwsError } from "../shared/protocol/errors.js";
import { type QueryParams, type QueryProtocol, type QueryValue, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { ElasticBeanstalkWorld, Environment } from "./world.js";

/**
 * Elastic Beanstalk over the query protocol as @aws-sdk/client-elastic-beanstalk speaks it (version
 * 2010-12-01, XML namespace `http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/`): what a pipeline's
 * ElasticBeanstalk deploy action calls.
 */
export const ELASTIC_BEANSTALK_PROTOCOL: QueryProtocol = { version: "2010-12-01", xmlns: "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/" };

const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: QueryValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" && v ? [v] : []);
const required = (p: QueryParams, name: string, member: string): string => {
  const v = str(p[name]);
  if (!v) throw new AwsError("MissingParameter", `The request must contain the parameter ${member}`, { status: 400 }); // the query protocol's usual answer
  return v;
};

export class ElasticBeanstalkApi extends QueryApi {
  readonly service = "ElasticBeanstalk";
  protected readonly protocol = ELASTIC_BEANSTALK_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    CreateApplicationVersion: (p) => {
      const app = required(p, "ApplicationName", "ApplicationName");
      const label = required(p, "VersionLabel", "VersionLabel");
      const bundle = (p["SourceBundle"] ?? {}) as Record<string, QueryValue>;
      const v = this.world.createApplicationVersion(app, label, str(bundle["S3Bucket"]) ?? "", str(bundle["S3Key"]) ?? "");
      return this.ok("CreateApplicationVersion", { ApplicationVersion: { ApplicationName: app, VersionLabel: v.label, SourceBundle: { S3Bucket: v.bucket, S3Key: v.key }, DateCreated: this.date(v.createdAt), Status: "UNPROCESSED" } }, `${app} ${label}`);
    },
    UpdateEnvironment: (p) => {
      const env = this.world.updateEnvironment(required(p, "EnvironmentName", "EnvironmentName"), str(p["ApplicationName"]), required(p, "VersionLabel", "VersionLabel"));
      return this.ok("UpdateEnvironment", this.view(env), `${env.name} -> ${str(p["VersionLabel"])}`);
    },
    DescribeEnvironments: (p) => {
      const names = list((p["EnvironmentNames"] as QueryValue) ?? "");
      const app = str(p["ApplicationName"]);
      const envs = [...this.world.environments.values()].filter((e) => (names.length === 0 || names.includes(e.name)) && (app === undefined || e.application.name === app));
      return this.ok("DescribeEnvironments", { Environments: envs.map((e) => this.view(e)) }, names.join(",") || "all");
    },
    DescribeEvents: (p) => {
      const start = str(p["StartTime"]);
      const events = this.world.eventsSince({ applicationName: str(p["ApplicationName"]), environmentName: str(p["EnvironmentName"]), startSeconds: start ? this.secondsAt(Date.parse(start)) : undefined, severity: str(p["Severity"]) }, Number(str(p["MaxRecords"]) ?? 1000));
      return this.ok("DescribeEvents", { Events: events.map((e) => ({ EventDate: this.date(e.atSeconds), Message: e.message, ApplicationName: e.applicationName, EnvironmentName: e.environmentName, VersionLabel: e.versionLabel, Severity: e.severity })) }, `${events.length} event(s)`);
    },
  };

  constructor(
    private readonly world: ElasticBeanstalkWorld,
    private readonly msAt: (atSeconds: number) => number,
    requestId: () => string,
  ) {
    super(requestId);
  }


  private date(atSeconds: number): Date {
    return new Date(this.msAt(atSeconds));
  }

  private secondsAt(ms: number): number {
    return (ms - this.msAt(0)) / 1000;
  }

  private view(env: Environment) {
    const s = this.world.state(env);
    return { EnvironmentName: env.name, EnvironmentId: env.id, ApplicationName: env.application.name, VersionLabel: s.versionLabel, Status: s.status, Health: s.health, HealthStatus: s.health === "Green" ? "Ok" : s.health === "Red" ? "Severe" : "Pending", DateUpdated: this.date(s.atSeconds), Tier: { Name: "WebServer", Type: "Standard", Version: "1.0" } };
  }
}
