import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { CreateEventBusCommand, DescribeEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { REGISTRY_TABLE_DEFINITION, registryCreateTableInput } from "../../functions/adapters/dynamodb-registry.js";
import { type RunProblem, RunRefused } from "./run-modes.js";

/**
 * What stepdeploy itself owns at the endpoint, as `stepdeploy run` needs it: the registry table (records, locks,
 * task-token callbacks) and the event bus its notifications go to. The deployed stack creates both; `run` creates
 * them when they are missing, with the stack's definition (REGISTRY_TABLE_DEFINITION, which the stack's template
 * test holds equal to serverless.yml), or uses the ones the user names. A resource the user named must exist: a
 * typo must not create a second registry beside the real one.
 * The SDK reads the endpoint, region and credentials from the environment (`withAwsEndpoint`), as the handlers do.
 */
export type NameSource = "flag" | "environment" | "stack default";

export interface OwnedName {
  name: string;
  /** Where the name came from: `--table`/`--event-bus`, STEPDEPLOY_TABLE, or the stack's name for the stage. */
  source: NameSource;
}

export interface OwnedResource extends OwnedName {
  kind: "registry table" | "event bus";
  action: "created" | "used";
}

const TABLE_ACTIVE_WAIT_MS = 120_000;

function missing(e: unknown): boolean {
  return (e as { name?: string })?.name === "ResourceNotFoundException";
}

/** Differences between an existing table and the registry's definition (keys and indexes): empty when it fits. */
export function registryShapeProblems(table: TableDescription): string[] {
  const keys = (ks: readonly { AttributeName?: string; KeyType?: string }[] | undefined) => (ks ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  const problems: string[] = [];
  if (keys(table.KeySchema) !== keys(REGISTRY_TABLE_DEFINITION.KeySchema)) problems.push(`its key is ${keys(table.KeySchema) || "none"}, the registry's is ${keys(REGISTRY_TABLE_DEFINITION.KeySchema)}`);
  for (const index of REGISTRY_TABLE_DEFINITION.GlobalSecondaryIndexes) {
    const found = (table.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === index.IndexName);
    if (!found) problems.push(`it has no index ${index.IndexName}`);
    else if (keys(found.KeySchema) !== keys(index.KeySchema)) problems.push(`its index ${index.IndexName} is keyed ${keys(found.KeySchema)}, the registry's is ${keys(index.KeySchema)}`);
  }
  return problems;
}

function tableReady(t: TableDescription | undefined): boolean {
  return t?.TableStatus === "ACTIVE" && (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE");
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (e) {
    if (missing(e)) return undefined;
    throw e;
  }
}

async function busExists(client: EventBridgeClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeEventBusCommand({ Name: name }));
    return true;
  } catch (e) {
    if (missing(e)) return false;
    throw e;
  }
}

/** What is wrong with the table as found (undefined: absent), or nothing. */
function tableProblem(table: OwnedName, found: TableDescription | undefined): RunProblem | undefined {
  const field = table.source === "flag" ? "--table" : "STEPDEPLOY_TABLE";
  const shape = found ? registryShapeProblems(found) : [];
  if (shape.length > 0) return { field, reason: `table '${table.name}' is not a stepdeploy registry: ${shape.join("; ")}; name another table` };
  if (!found && table.source !== "stack default") {
    return { field, reason: `table '${table.name}' does not exist at the endpoint; create it with the stack, or leave ${field} out and run creates the stack's table` };
  }
  return undefined;
}

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand(registryCreateTableInput(name)));
  const deadline = Date.now() + TABLE_ACTIVE_WAIT_MS;
  while (!tableReady(await describeTable(client, name))) {
    if (Date.now() > deadline) throw new Error(`the registry table '${name}' was created but is not ACTIVE after ${TABLE_ACTIVE_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An endpoint that cannot answer (not listening, no DynamoDB, no permission) refuses the run, naming the call. */
async function unreachableRefused<T>(call: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as Error;
    throw new RunRefused([{ field: "endpoint", reason: `${call} of '${name}' failed: ${err.name}: ${err.message} (run first checks stepdeploy's own table and bus: it needs credentials and DynamoDB and EventBridge at the endpoint, or at AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_EVENTBRIDGE)` }]);
  }
}

/**
 * Looks at both first, then creates what is missing: a refusal (RunRefused: a named one is missing, or the table
 * is not a registry) leaves the endpoint as it was.
 */
export async function ensureOwnedResources(names: { table: OwnedName; eventBus: OwnedName }): Promise<OwnedResource[]> {
  const dynamo = new DynamoDBClient({});
  const events = new EventBridgeClient({});
  try {
    const [table, bus] = await Promise.all([
      unreachableRefused("DynamoDB DescribeTable", names.table.name, () => describeTable(dynamo, names.table.name)),
      unreachableRefused("EventBridge DescribeEventBus", names.eventBus.name, () => busExists(events, names.eventBus.name)),
    ]);
    const problems = [tableProblem(names.table, table)].filter((p): p is RunProblem => p !== undefined);
    if (!bus && names.eventBus.source !== "stack default") {
      problems.push({ field: "--event-bus", reason: `event bus '${names.eventBus.name}' does not exist at the endpoint; create it, or leave --event-bus out and run creates the stack's bus` });
    }
    if (problems.length > 0) throw new RunRefused(problems);
    if (!table) await createTable(dynamo, names.table.name);
    if (!bus) await events.send(new CreateEventBusCommand({ Name: names.eventBus.name }));
    return [
      { kind: "registry table", ...names.table, action: table ? "used" : "created" },
      { kind: "event bus", ...names.eventBus, action: bus ? "used" : "created" },
    ];
  } finally {
    dynamo.destroy();
    events.destroy();
  }
}
