import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { jsonSchemaOf, PUBLISHED_SCHEMAS } from "../../../functions/domain/schema/published.js";

describe("the published JSON Schemas", () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[])("schemas/%s.schema.json is what the code generates (npx tsx scripts/generate-schemas.ts)", (name) => {
    expect(readFileSync(`schemas/${name}.schema.json`, "utf8")).toBe(jsonSchemaOf(name));
  });

  it("the groups schema refuses unknown fields and knows CodeDeploy's trigger events", () => {
    const s = JSON.parse(jsonSchemaOf("groups"));
    expect(s.additionalProperties).toBe(false);
    expect(JSON.stringify(s)).toContain("DeploymentRollback");
  });
});

/**
 * What an editor does with a file whose `$schema` points at schemas/ (draft 2020-12, as yaml-language-server and
 * VS Code read it): every example the project ships validates, and the mistakes the code refuses are flagged too.
 */
describe("the published schemas, read by a JSON Schema validator as an editor would", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validator = (name: string) => ajv.compile(JSON.parse(readFileSync(`schemas/${name}.schema.json`, "utf8")));
  const read = (f: string) => YAML.parse(readFileSync(f, "utf8"));
  const examples: [string, string[]][] = [
    ["groups", [...readdirSync("config").filter((f) => /^groups\..+\.yml$/.test(f)).map((f) => `config/${f}`), ...readdirSync("events/groups").filter((f) => f.endsWith(".groups.yml")).map((f) => `events/groups/${f}`)]],
    ["releases", readdirSync("config").filter((f) => /^releases\..+\.json$/.test(f)).map((f) => `config/${f}`)],
    ["deploy-lambda-input", ["events/deploy-lambda.input.json", ...readdirSync("events/groups").filter((f) => f.endsWith(".input.json")).map((f) => `events/groups/${f}`)]],
    ["deploy-server-input", ["events/server/deploy-server.input.json"]],
  ];
  it.each(examples)("every %s example validates (%j)", (name, files) => {
    expect(files.length).toBeGreaterThan(0);
    const validate = validator(name);
    for (const f of files) expect(validate(read(f)) ? [] : validate.errors, f).toEqual([]);
  });

  it.each([
    ["releases", { sources: [{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [{ name: "f", alias: "live" }], codePackag: "x.zip" }] }],
    ["releases", { sources: [{ name: "a b", application: "x", deploymentGroup: "g", ecr: { repository: "r" }, function: { name: "f", alias: "live" } }] }],
    ["releases", { sources: [{ name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r" }, function: { name: "f" } }] }],
    ["groups", { applications: { shop: { computePlatform: "Lambda", deploymentGroups: { live: { target: { functionName: "orders", alias: "live" }, alarmConfig: {} } } } } }],
  ])("a %s file with a mistake the code refuses is flagged: %j", (name, doc) => {
    expect(validator(name)(doc)).toBe(false);
  });
});
