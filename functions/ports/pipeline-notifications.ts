/** SNS, for a manual approval's NotificationArn: the same port as the deployment groups' triggers. */
export type { TopicsPort as NotificationsPort } from "./topics.js";
