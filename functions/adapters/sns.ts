import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { TopicsPort } from "../ports/topics.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

const snsClient = (): SNSClient => cachedClient("sns", (options) => new SNSClient(options));

/** SNS Publish for group triggers; SDK errors become named errors (aws-errors.ts). */
export function createSnsAdapter(): TopicsPort {
  return {
    async publish(topicArn, subject, message) {
      try {
        await snsClient().send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
      } catch (e) {
        throw toStepDeployError(e, `SNS Publish to ${topicArn}`);
      }
    },
  };
}
