import type { NotificationsPort } from "../../../functions/ports/pipeline-notifications.js";

/** Keeps every SNS publish. */
export class FakeNotifications implements NotificationsPort {
  readonly published: { topicArn: string; subject: string; message: string }[] = [];

  async publish(topicArn: string, subject: string, message: string): Promise<void> {
    this.published.push({ topicArn, subject, message });
  }
}
