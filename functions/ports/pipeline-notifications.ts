/** SNS, for a manual approval's NotificationArn. */
export interface NotificationsPort {
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}
