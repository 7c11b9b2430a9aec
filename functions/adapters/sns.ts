import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { NotificationsPort } from "../ports/pipeline-notifications.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

/**
 * SNS Publish, for a manual approval's NotificationArn. The subject is cut to SNS's 100 characters
 * (SNS API Reference, Publish: "Subject ... must be less than 100 characters"); the message is
 * CodePipeline's approval JSON.
 */
export const SNS_SUBJECT_MAX = 99;

export const snsClient = (): SNSClient => cachedClient("sns", (options) => new SNSClient(options));

export function createNotificationsAdapter(client: SNSClient = snsClient()): NotificationsPort {
  return {
    async publish(topicArn, subject, message) {
      try {
        await client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject.slice(0, SNS_SUBJECT_MAX), Message: message }));
      } catch (e) {
        throw toStepDeployError(e, `SNS Publish to ${topicArn}`);
      }
    },
  };
}
