import { AwsError } from "../shared/protocol/errors.js";
import { type QueryParams, type QueryProtocol, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { SnsWorld } from "./world.js";

/**
 * SNS over the query protocol as @aws-sdk/client-sns speaks it (version 2010-03-31, XML namespace
 * `http://sns.amazonaws.com/doc/2010-03-31/`). The one operation stepdeploy calls: Publish (group triggers).
 */
export const SNS_PROTOCOL: QueryProtocol = { version: "2010-03-31", xmlns: "http://sns.amazonaws.com/doc/2010-03-31/" };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export class SnsApi extends QueryApi {
  readonly service = "SNS";
  protected readonly protocol = SNS_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    Publish: (p) => this.publishOne(p),
  };

  constructor(
    private readonly world: SnsWorld,
    private readonly messageId: () => string,
    requestId: () => string,
  ) {
    super(requestId);
  }

  /** SNS throttling is `Throttled` (HTTP 400, "Rate exceeded"); internal errors `InternalError`, HTTP 500. */
  override faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("Throttled", "Rate exceeded", { status: 400, queryCode: "Throttled" });
    return new AwsError("InternalError", "Internal error (simulated)", { status: fault.status ?? 500, queryCode: "InternalError" });
  }

  private publishOne(p: QueryParams): Handled {
    const topicArn = str(p.TopicArn);
    if (!topicArn) throw new AwsError("InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter", { status: 400, queryCode: "InvalidParameter" });
    const m = this.world.publish({ topicArn, message: str(p.Message), subject: str(p.Subject) }, this.messageId());
    return this.ok("Publish", { MessageId: m.messageId }, `${topicArn.split(":").at(-1)}: ${m.subject ?? "(no subject)"}`);
  }
}
