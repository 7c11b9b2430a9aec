import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { snsWorldOf } from "../../../local/account/sns/index.js";
import { failure, startAccount, TRANSPORTS } from "./helpers.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:orders-deployments";

/** The simulated SNS as @aws-sdk/client-sns reaches it: Publish to the setup's topics, SNS's refusals by name. */
describe.each(TRANSPORTS)("simulated SNS (%s)", (transport) => {
  it("keeps what was published, refuses a topic that does not exist and a subject SNS would refuse", async () => {
    const h = await startAccount({ topics: ["orders-deployments"] }, undefined, transport);
    const sns = new SNSClient({ ...h.config, maxAttempts: 1 });
    try {
      const out = await sns.send(new PublishCommand({ TopicArn: TOPIC, Subject: "SUCCEEDED: d-1", Message: '{"status":"Succeeded"}' }));
      expect(out.MessageId).toMatch(/\S/);
      expect(snsWorldOf(h.account).published).toEqual([{ atSeconds: 0, topicArn: TOPIC, messageId: out.MessageId, subject: "SUCCEEDED: d-1", message: '{"status":"Succeeded"}' }]);
      const missing = await failure(sns.send(new PublishCommand({ TopicArn: `${TOPIC}-gone`, Message: "x" })));
      expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual(["NotFoundException", 404, "Topic does not exist"]);
      for (const Subject of ["x".repeat(101), "two\nlines"]) {
        const bad = await failure(sns.send(new PublishCommand({ TopicArn: TOPIC, Subject, Message: "x" })));
        expect([bad.name, bad.message]).toEqual(["InvalidParameterException", "Invalid parameter: Subject"]);
      }
      expect(snsWorldOf(h.account).published).toHaveLength(1);
    } finally {
      sns.destroy();
      await h.close();
    }
  });

  it("refuses a setup topic name SNS would not create", async () => {
    await expect(startAccount({ topics: ["has space"] }, undefined, transport)).rejects.toThrow(/account.topics\[0\]/);
  });
});
