/** SNS topics the deployment groups' triggers publish to (CodeDeploy's triggerConfigurations). */
export interface TopicsPort {
  /** Publishes one message; throws a named error (`Deploy.Transient` for throttling and 5xx, else `Deploy.AwsError`). */
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}
