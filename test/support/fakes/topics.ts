import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { TopicsPort } from "../../../functions/ports/topics.js";

/** SNS topics in memory: what was published, and topics that refuse (as a missing topic or a denied publish would). */
export class FakeTopics implements TopicsPort {
  readonly published: { topicArn: string; subject: string; message: Record<string, unknown> }[] = [];
  readonly failing = new Set<string>();

  async publish(topicArn: string, subject: string, message: string): Promise<void> {
    if (this.failing.has(topicArn)) throw new StepDeployError(ErrorNames.AwsError, `SNS Publish to ${topicArn}: NotFound: Topic does not exist`);
    this.published.push({ topicArn, subject, message: JSON.parse(message) });
  }
}
