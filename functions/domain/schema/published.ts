import * as z from "zod";
import { DeployLambdaInputSchema } from "../deployment/input.js";
import { GroupDeploymentSchema, GroupsFileSchema } from "../groups/index.js";
import { ServerInputSchema } from "../fleet/input.js";
import { ReleasesFileSchema } from "../release/source-config.js";

/**
 * The JSON Schemas published in the package (schemas/<name>.schema.json), generated from the zod schemas the code
 * validates with, so an editor checks a file exactly as stepdeploy will. `scripts/generate-schemas.ts` writes
 * them; a test fails when a checked-in file differs from what the code generates.
 */
export const PUBLISHED_SCHEMAS = {
  groups: GroupsFileSchema,
  releases: ReleasesFileSchema,
  "deploy-server-input": ServerInputSchema,
  // Any group's deployment (Lambda, ECS, Server): what `stepdeploy deploy --application ... --deployment-group ...` sends.
  "group-deployment": GroupDeploymentSchema,
  "deploy-lambda-input": z.union([DeployLambdaInputSchema, GroupDeploymentSchema]).meta({
    title: "stepdeploy deploy-lambda input",
    description: "The deploy-lambda state machine's input: the full input (docs/deploy-lambda-input.md) or a group plus a revision (docs/groups.md).",
  }),
} as const;

export function jsonSchemaOf(name: keyof typeof PUBLISHED_SCHEMAS): string {
  const schema = z.toJSONSchema(PUBLISHED_SCHEMAS[name], { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
