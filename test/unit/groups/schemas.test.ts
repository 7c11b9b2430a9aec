import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
