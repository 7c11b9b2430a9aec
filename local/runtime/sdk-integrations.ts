import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { cachedClient } from "../../functions/adapters/clients.js";

/**
 * `arn:aws:states:::aws-sdk:<service>:<action>` made as the SDK call it stands for.
 * Like Step Functions, the call is made once (no SDK-level retries: the ASL's Retry decides), and
 * errors come back named `<ServicePrefix>.<ErrorName>` (codepipeline-spec §5.2).
 */
type AnyClient = { send(command: unknown): Promise<Record<string, unknown>> };
type ClientModule = { client: new (config: object) => AnyClient; commands: () => Promise<Record<string, unknown>>; prefix: string };

const SERVICES: Record<string, ClientModule> = {
  lambda: { client: LambdaClient as never, commands: () => import("@aws-sdk/client-lambda"), prefix: "Lambda" },
  cloudwatch: { client: CloudWatchClient as never, commands: () => import("@aws-sdk/client-cloudwatch"), prefix: "CloudWatch" },
  eventbridge: { client: EventBridgeClient as never, commands: () => import("@aws-sdk/client-eventbridge"), prefix: "EventBridge" },
  sfn: { client: SFNClient as never, commands: () => import("@aws-sdk/client-sfn"), prefix: "Sfn" },
  dynamodb: { client: DynamoDBClient as never, commands: () => import("@aws-sdk/client-dynamodb"), prefix: "DynamoDb" },
  s3: { client: S3Client as never, commands: () => import("@aws-sdk/client-s3"), prefix: "S3" },
  autoscaling: { client: AutoScalingClient as never, commands: () => import("@aws-sdk/client-auto-scaling"), prefix: "AutoScaling" },
};

/** The integration's client: one attempt per call (the ASL's Retry decides), on the process's transport. */
export function integrationClient<T = AnyClient>(service: string): T {
  const mod = SERVICES[service];
  if (!mod) throw new Error(`aws-sdk:${service} is not supported by the local runtime`);
  return cachedClient(`${service}:integration`, (options) => new mod.client({ ...options, maxAttempts: 1, ...(service === "s3" ? { forcePathStyle: true } : {}) }) as T);
}

export class IntegrationError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function stripMetadata(out: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _m, ...rest } = out;
  return rest;
}

export function servicePrefix(service: string): string {
  return SERVICES[service]?.prefix ?? service;
}

export async function callAwsSdk(service: string, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const mod = SERVICES[service];
  if (!mod) throw new IntegrationError("States.Runtime", `aws-sdk:${service} is not supported by the local runtime`);
  const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = (await mod.commands())[commandName] as (new (input: object) => unknown) | undefined;
  if (!Command) throw new IntegrationError("States.Runtime", `aws-sdk:${service}:${action}: unknown action`);
  try {
    return stripMetadata(await integrationClient(service).send(new Command(params)));
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    const errorName = err.name === "TimeoutError" || !status ? "SdkClientException" : err.name;
    throw new IntegrationError(`${mod.prefix}.${errorName}`, `${err.message} (Service: ${mod.prefix}, Status Code: ${status ?? "none"})`);
  }
}
