import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../../cli/io.js";
import { main } from "../../../cli/main.js";
import { SimAccount } from "../../../local/account/index.js";
import { SimClock } from "../../../local/clock.js";

const INPUT = fileURLToPath(new URL("../../../events/deploy-lambda.input.json", import.meta.url));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIO(env);
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("run --endpoint: refused before anything runs", () => {
  it.each([
    [["--endpoint", ""], /stepdeploy run: --endpoint is empty/],
    [["--endpoint="], /stepdeploy run: --endpoint is empty/],
    [["--endpoint", "file:///tmp/x"], /--endpoint 'file:\/\/\/tmp\/x' must start with http:\/\/ or https:\/\//],
    [["--endpoint", "localhost:4566"], /must start with http:\/\/ or https:\/\//],
    [["--endpoint", "127.0.0.1:4566"], /--endpoint '127\.0\.0\.1:4566' is not a URL/],
  ])("%j → exit 2 naming the flag", async (flags, message) => {
    const r = await cli(["run", INPUT, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("usage: stepdeploy run");
  });

  it("a bad AWS_ENDPOINT_URL is named as such", async () => {
    const r = await cli(["run", INPUT], { AWS_ENDPOINT_URL: "ftp://127.0.0.1:21" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^stepdeploy run: AWS_ENDPOINT_URL 'ftp:\/\/127\.0\.0\.1:21' must start with http/);
  });

  it("the operator commands refuse the same values, as a plain usage error", async () => {
    const r = await cli(["status", "d-ABCDEFGH1", "--endpoint", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^stepdeploy status: --endpoint is empty/);
  });

  it("no region anywhere is a usage error, not a failure inside the workflow", async () => {
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_PROFILE: process.env.AWS_PROFILE, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
    delete process.env.AWS_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = fileURLToPath(new URL("./no-such-aws-config", import.meta.url));
    try {
      const r = await cli(["run", INPUT, "--endpoint", "http://127.0.0.1:9"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/no AWS region: set AWS_REGION/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe("run: the banner and the report name the endpoint and the region", () => {
  // An endpoint that serves no DynamoDB: run refuses before anything (it checks stepdeploy's own table first).
  let server: { endpoint: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await SimAccount.fromSetup({ functions: [] }, { clock: new SimClock() }).serve();
  });
  afterAll(() => server.close());

  it("human output starts with the endpoint and the region", async () => {
    const r = await cli(["run", INPUT, "--endpoint", server.endpoint], { AWS_REGION: "eu-west-1" });
    expect(r.stdout.split("\n")[0]).toBe(`running deploy-lambda against ${server.endpoint} in eu-west-1 (waits compressed)`);
    expect(r.stderr).toMatch(/^stepdeploy run: refused before anything changed:\n {2}endpoint: DynamoDB DescribeTable of 'stepdeploy-local-registry' failed: /);
    expect(r.code).toBe(2);
  });

  it("--json carries them in the report", async () => {
    const r = await cli(["run", INPUT, "--endpoint", server.endpoint, "--json"], { AWS_REGION: "eu-west-1" });
    const report = JSON.parse(r.stdout) as { endpoint: string; region: string; status: string };
    expect(report).toMatchObject({ endpoint: server.endpoint, region: "eu-west-1", status: "REFUSED", error: "RunRefused", problems: [{ field: "endpoint" }] });
    expect(r.code).toBe(2);
  });
});
