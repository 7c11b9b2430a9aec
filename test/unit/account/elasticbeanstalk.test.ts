import { CreateApplicationVersionCommand, DescribeEnvironmentsCommand, DescribeEventsCommand, ElasticBeanstalkClient, UpdateEnvironmentCommand } from "@aws-sdk/client-elastic-beanstalk";
import { describe, expect, it } from "vitest";
import { failure, startAccount, TRANSPORTS } from "./helpers.js";

/** The simulated Elastic Beanstalk as @aws-sdk/client-elastic-beanstalk reaches it (awsQuery): versions, deployments on the SimClock, EB's refusals. */
const SETUP = { elasticbeanstalk: { applications: [{ name: "orders-web", environments: [{ name: "orders-web-prod", versionLabel: "v1", deploySeconds: 30, failDeployments: [2] }] }] } };

describe.each(TRANSPORTS)("simulated Elastic Beanstalk (%s)", (transport) => {
  it("deploys a version (Updating, then Ready/Green on it), a scripted failure ends Red on the previous version with ERROR events", async () => {
    const h = await startAccount(SETUP, undefined, transport);
    const eb = new ElasticBeanstalkClient({ ...h.config, maxAttempts: 1 });
    const env = async () => (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ["orders-web-prod"] }))).Environments?.[0];
    try {
      expect(await env()).toMatchObject({ Status: "Ready", Health: "Green", VersionLabel: "v1", EnvironmentId: expect.stringMatching(/^e-[0-9a-f]{10}$/) });
      const made = await eb.send(new CreateApplicationVersionCommand({ ApplicationName: "orders-web", VersionLabel: "v2", SourceBundle: { S3Bucket: "eb-bucket", S3Key: "orders-web/v2.zip" } }));
      expect(made.ApplicationVersion).toMatchObject({ VersionLabel: "v2", SourceBundle: { S3Bucket: "eb-bucket", S3Key: "orders-web/v2.zip" } });
      const dup = await failure(eb.send(new CreateApplicationVersionCommand({ ApplicationName: "orders-web", VersionLabel: "v2", SourceBundle: { S3Bucket: "b", S3Key: "k" } })));
      expect([dup.name, dup.message]).toEqual(["InvalidParameterValue", "Application Version v2 already exists."]);
      const missing = await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: "orders-web-prod", VersionLabel: "v9" })));
      expect(missing.message).toBe("No Application Version named 'v9' found.");
      await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: "orders-web-prod", VersionLabel: "v2" }));
      expect(await env()).toMatchObject({ Status: "Updating", VersionLabel: "v1" });
      const busy = await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: "orders-web-prod", VersionLabel: "v2" })));
      expect(busy.message).toBe("Environment named orders-web-prod is in an invalid state for this operation. Must be Ready.");
      h.clock.advance(30);
      expect(await env()).toMatchObject({ Status: "Ready", Health: "Green", VersionLabel: "v2" });
      await eb.send(new CreateApplicationVersionCommand({ ApplicationName: "orders-web", VersionLabel: "v3", SourceBundle: { S3Bucket: "b", S3Key: "k3" } }));
      const since = new Date(h.clock.now());
      await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: "orders-web-prod", VersionLabel: "v3" }));
      h.clock.advance(30);
      expect(await env()).toMatchObject({ Status: "Ready", Health: "Red", VersionLabel: "v2" });
      const errors = (await eb.send(new DescribeEventsCommand({ EnvironmentName: "orders-web-prod", StartTime: since, Severity: "ERROR" }))).Events ?? [];
      expect(errors.map((e) => e.Message).at(-1)).toMatch(/Command failed on instance/);
      const unknown = await failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: "nope-env", VersionLabel: "v2" })));
      expect([unknown.name, unknown.message]).toEqual(["InvalidParameterValue", "No Environment found for EnvironmentName = 'nope-env'."]);
    } finally {
      eb.destroy();
      await h.close();
    }
  });
});
