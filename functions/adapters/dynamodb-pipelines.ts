import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { ValidationError } from "../domain/errors.js";
import type { StageGate } from "../domain/pipeline/execution/stage-gate.js";
import type { PipelineExecution, PipelineRegistryPort } from "../ports/pipeline-registry.js";
import { toStepDeployError } from "./aws-errors.js";
import { dynamoDbClient } from "./dynamodb-registry.js";

/**
 * The pipeline registry on the stack's registry table (the same single table as deployments, its own
 * partition per pipeline):
 *
 * | item              | pk                    | sk                   | attributes                |
 * |-------------------|-----------------------|----------------------|---------------------------|
 * | execution         | PIPELINE#<pipeline>   | EXECUTION#<id>       | doc (JSON), rev, startedAt |
 * | stage gate        | PIPELINE#<pipeline>   | GATE#<stage>         | doc (JSON), rev            |
 *
 * Pipeline and stage names cannot contain `#` (CodePipeline's name charset), so keys are unambiguous.
 * An update reads the item, applies the change and writes it back on condition that `rev` is still the
 * one read; on a conflict (another execution wrote in between) it reads again and re-applies, so
 * concurrent executions at one stage gate never lose a decision.
 */
const MAX_CONFLICTS = 25;

type Item = Record<string, AttributeValue>;
const pk = (pipeline: string) => `PIPELINE#${pipeline}`;

export class DynamoDbPipelineRegistry implements PipelineRegistryPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async read(pipeline: string, sk: string, what: string): Promise<{ doc: unknown; rev: number } | undefined> {
    try {
      const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: pk(pipeline) }, sk: { S: sk } }, ConsistentRead: true }));
      return Item ? { doc: JSON.parse(Item["doc"]?.S ?? "null"), rev: Number(Item["rev"]?.N ?? "0") } : undefined;
    } catch (e) {
      throw toStepDeployError(e, `GetItem ${what}`);
    }
  }

  /** Writes `doc` if the item is still at `rev` (or absent, for rev 0); false on a conflict. */
  private async write(pipeline: string, sk: string, doc: unknown, rev: number, extra: Item, what: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: pk(pipeline) }, sk: { S: sk }, doc: { S: JSON.stringify(doc) }, rev: { N: String(rev + 1) }, ...extra },
          ConditionExpression: rev === 0 ? "attribute_not_exists(pk)" : "rev = :rev",
          ...(rev !== 0 && { ExpressionAttributeValues: { ":rev": { N: String(rev) } } }),
        }),
      );
      return true;
    } catch (e) {
      if ((e as Error).name === "ConditionalCheckFailedException") return false;
      throw toStepDeployError(e, `PutItem ${what}`);
    }
  }

  private async update<D, T>(pipeline: string, sk: string, what: string, initial: D | undefined, change: (doc: D) => { doc: D; result: T }, extra: (doc: D) => Item = () => ({})): Promise<T> {
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const current = await this.read(pipeline, sk, what);
      if (!current && initial === undefined) throw new ValidationError(what, "does not exist in the pipeline registry", "Pipeline.InvalidStart");
      const { doc, result } = change((current?.doc as D | undefined) ?? (initial as D));
      if (await this.write(pipeline, sk, doc, current?.rev ?? 0, extra(doc), what)) return result;
    }
    throw toStepDeployError(Object.assign(new Error(`${MAX_CONFLICTS} conflicting writes in a row`), { name: "ThrottlingException" }), `update ${what}`);
  }

  async createExecution(execution: PipelineExecution): Promise<PipelineExecution> {
    const what = `execution ${execution.pipeline}/${execution.executionId}`;
    const created = await this.write(execution.pipeline, `EXECUTION#${execution.executionId}`, execution, 0, { startedAt: { N: String(execution.startedAtMs) } }, what);
    if (created) return execution;
    return (await this.read(execution.pipeline, `EXECUTION#${execution.executionId}`, what))?.doc as PipelineExecution;
  }

  async getExecution(pipeline: string, executionId: string): Promise<PipelineExecution | undefined> {
    return (await this.read(pipeline, `EXECUTION#${executionId}`, `execution ${pipeline}/${executionId}`))?.doc as PipelineExecution | undefined;
  }

  updateExecution(pipeline: string, executionId: string, change: (current: PipelineExecution) => PipelineExecution): Promise<PipelineExecution> {
    return this.update<PipelineExecution, PipelineExecution>(pipeline, `EXECUTION#${executionId}`, `execution ${pipeline}/${executionId}`, undefined, (doc) => {
      const next = change(doc);
      return { doc: next, result: next };
    }, (doc) => ({ startedAt: { N: String(doc.startedAtMs) } }));
  }

  updateGate<T>(pipeline: string, stage: string, initial: StageGate, change: (gate: StageGate) => { gate: StageGate; result: T }): Promise<T> {
    return this.update<StageGate, T>(pipeline, `GATE#${stage}`, `stage gate ${pipeline}/${stage}`, initial, (gate) => {
      const { gate: doc, result } = change(gate);
      return { doc, result };
    });
  }

  private async all(pipeline: string): Promise<PipelineExecution[]> {
    const out: PipelineExecution[] = [];
    let start: Item | undefined;
    try {
      do {
        const page = await this.client.send(
          new QueryCommand({ TableName: this.tableName, KeyConditionExpression: "pk = :pk AND begins_with(sk, :e)", ExpressionAttributeValues: { ":pk": { S: pk(pipeline) }, ":e": { S: "EXECUTION#" } }, ...(start && { ExclusiveStartKey: start }) }),
        );
        for (const item of page.Items ?? []) out.push(JSON.parse(item["doc"]?.S ?? "null") as PipelineExecution);
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (e) {
      throw toStepDeployError(e, `Query executions of ${pipeline}`);
    }
    return out.sort((a, b) => b.startedAtMs - a.startedAtMs || b.executionId.localeCompare(a.executionId));
  }

  async lastSucceededInStage(pipeline: string, stage: string, version: number): Promise<PipelineExecution | undefined> {
    return (await this.all(pipeline)).find((e) => e.version === version && e.stages[stage]?.status === "Succeeded");
  }

  async listExecutions(pipeline: string, limit: number): Promise<PipelineExecution[]> {
    return (await this.all(pipeline)).slice(0, limit);
  }
}

/** The pipeline registry on the table named by STEPDEPLOY_TABLE unless told otherwise. */
export function createDynamoDbPipelineRegistry(options: { client?: DynamoDBClient; tableName?: string } = {}): DynamoDbPipelineRegistry {
  const tableName = options.tableName ?? process.env.STEPDEPLOY_TABLE;
  if (!tableName) throw new ValidationError("STEPDEPLOY_TABLE", "is not set: name the registry table");
  return new DynamoDbPipelineRegistry(options.client ?? dynamoDbClient(), tableName);
}
