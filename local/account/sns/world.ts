import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";

/** A message SNS accepted, as a subscriber would receive it. */
export interface PublishedMessage {
  atSeconds: number;
  topicArn: string;
  messageId: string;
  subject?: string;
  message: string;
}

/**
 * SNS topics and what was published to them. Publish's rules as the SNS API reference states them: the topic must
 * exist (`NotFound`, HTTP 404, "Topic does not exist"), a message is required and at most 256 KB, a subject is at
 * most 100 printable ASCII characters without line breaks (`InvalidParameter`, HTTP 400).
 */
export class SnsWorld {
  readonly topics = new Map<string, PublishedMessage[]>();

  constructor(
    private readonly clock: SimClock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  createTopic(name: string): string {
    const arn = this.arnOf(name);
    if (!this.topics.has(arn)) this.topics.set(arn, []);
    return arn;
  }

  publish(p: { topicArn: string; message?: string; subject?: string }, messageId: string): PublishedMessage {
    const messages = this.topics.get(p.topicArn);
    if (!messages) throw new AwsError("NotFound", "Topic does not exist", { status: 404, queryCode: "NotFound" });
    if (!p.message) throw invalid("Invalid parameter: Empty message");
    if (Buffer.byteLength(p.message) > 262144) throw invalid("Invalid parameter: Message too long");
    if (p.subject !== undefined && (p.subject.length === 0 || p.subject.length > 100 || !/^[\x20-\x7e]+$/.test(p.subject))) throw invalid("Invalid parameter: Subject");
    const m: PublishedMessage = { atSeconds: this.clock.elapsedSeconds(), topicArn: p.topicArn, messageId, message: p.message, ...(p.subject !== undefined ? { subject: p.subject } : {}) };
    messages.push(m);
    return m;
  }

  /** Every message, in publish order. */
  get published(): PublishedMessage[] {
    return [...this.topics.values()].flat().sort((a, b) => a.atSeconds - b.atSeconds);
  }
}

const invalid = (message: string) => new AwsError("InvalidParameter", message, { status: 400, queryCode: "InvalidParameter" });
