import { autoScaling } from "./autoscaling/index.js";
import { cloudFormation } from "./cloudformation/index.js";
import { cloudWatch } from "./cloudwatch/index.js";
import { codeBuild } from "./codebuild/index.js";
import { ec2 } from "./ec2/index.js";
import { ecr } from "./ecr/index.js";
import { ecs } from "./ecs/index.js";
import { elasticBeanstalk } from "./elasticbeanstalk/index.js";
import { elb } from "./elb/index.js";
import { elbv2 } from "./elbv2/index.js";
import { eventBridge } from "./eventbridge/index.js";
import { lambda } from "./lambda/index.js";
import { sfn } from "./sfn/index.js";
import { sns } from "./sns/index.js";
import { ssm } from "./ssm/index.js";

/**
 * The AWS services of the simulated account: adding one is a folder whose index.ts exports a
 * ServiceDefinition (shared/service.ts), plus one entry here. The account creates them in this
 * order, routes requests to their APIs, and collects their setup keys and timeline kinds.
 */
export const SERVICES = [
  eventBridge, ecr, lambda, cloudWatch, sfn, elbv2, ecs, ssm, ec2, autoScaling, sns, codeBuild, cloudFormation, elasticBeanstalk, elb,
] as const;
