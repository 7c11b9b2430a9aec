import { CreateApplicationVersionCommand, DescribeEnvironmentsCommand, DescribeEventsCommand, ElasticBeanstalkClient, type EnvironmentDescription, UpdateEnvironmentCommand } from "@aws-sdk/client-elastic-beanstalk";
import type { ElasticBeanstalkPort, EnvironmentView } from "../ports/elastic-beanstalk.js";
import { withAwsErrors } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const elasticBeanstalkClient = (): ElasticBeanstalkClient => cachedClient("elasticbeanstalk", (options) => new ElasticBeanstalkClient(options));

const call = withAwsErrors;

const view = (e: EnvironmentDescription, name: string): EnvironmentView => ({ name: e.EnvironmentName ?? name, id: e.EnvironmentId ?? "", status: e.Status ?? "", health: e.Health ?? "", ...(e.VersionLabel && { versionLabel: e.VersionLabel }) });

/** Elastic Beanstalk for pipeline ElasticBeanstalk actions; SDK errors become named errors (`toStepDeployError`) with EB's message. */
export function createElasticBeanstalkAdapter(client = elasticBeanstalkClient()): ElasticBeanstalkPort {
  return {
    createApplicationVersion: (application, label, bundle, description) =>
      call(`CreateApplicationVersion ${application} ${label}`, async () => {
        try {
          await client.send(new CreateApplicationVersionCommand({ ApplicationName: application, VersionLabel: label, Description: description.slice(0, 200), SourceBundle: { S3Bucket: bundle.bucket, S3Key: bundle.key } }));
          return { existed: false };
        } catch (e) {
          // EB: "Application Version <label> already exists." (a retried call made it already)
          if ((e as Error)?.name === "InvalidParameterValue" && /already exists/.test((e as Error).message)) return { existed: true };
          throw e;
        }
      }),
    updateEnvironment: (application, environment, label) =>
      call(`UpdateEnvironment ${environment}`, async () => view(await client.send(new UpdateEnvironmentCommand({ ApplicationName: application, EnvironmentName: environment, VersionLabel: label })), environment)),
    describeEnvironment: (application, environment) =>
      call(`DescribeEnvironments ${environment}`, async () => {
        const e = (await client.send(new DescribeEnvironmentsCommand({ ApplicationName: application, EnvironmentNames: [environment], IncludeDeleted: false }))).Environments?.[0];
        return e ? view(e, environment) : undefined;
      }),
    events: (application, environment, sinceMs) =>
      call(`DescribeEvents ${environment}`, async () =>
        ((await client.send(new DescribeEventsCommand({ ApplicationName: application, EnvironmentName: environment, StartTime: new Date(sinceMs), Severity: "WARN" }))).Events ?? []).map((e) => ({ atMs: e.EventDate?.getTime() ?? 0, severity: e.Severity ?? "", message: e.Message ?? "" })),
      ),
  };
}
