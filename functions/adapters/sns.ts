import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { TopicsPort } from "../ports/topics.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

/**
 * SNS Publish, for deployment-group triggers and a manual approval's NotificationArn. The subject is cut
 * to SNS's limit (SNS API Reference, Publish: "Subject ... must be less than 100 characters"); SDK errors
 * become named errors (aws-errors.ts).
 */
export const SNS_SUBJECT_MAX = 99;

const snsClient = (): SNSClient => cachedClient("sns", (options) => new SNSClient(options));

/** Without a client, each call takes the cached client of the current endpoint (clients.ts). */
export function createSnsAdapter(client?: SNSClient): TopicsPort {
  return {
    async publish(topicArn, subject, message) {
      try {
        await (client ?? snsClient()).send(new PublishCommand({ TopicArn: topicArn, Subject: subject.slice(0, SNS_SUBJECT_MAX), Message: message }));
      } catch (e) {
        throw toStepDeployError(e, `SNS Publish to ${topicArn}`);
      }
    },
  };
}
