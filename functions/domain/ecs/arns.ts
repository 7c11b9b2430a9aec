/**
 * The ELBv2 and ECS resource identifiers an ECS deployment names, in the forms the APIs accept:
 *  - listener `arn:<partition>:elasticloadbalancing:<region>:<account>:listener/(app|net)/<lb>/<id>/<id>`,
 *    rule `...:listener-rule/app/<lb>/<id>/<id>/<id>` (Network Load Balancers have no rules),
 *    target group `...:targetgroup/<name>/<id>` or its name (1-32 letters, digits, hyphens);
 *  - cluster and service: a short name or ARN (`arn:...:ecs:<region>:<account>:cluster/<name>`,
 *    `...:service/<cluster>/<name>` or the older `...:service/<name>`) (ECS API reference, `cluster`, `service`).
 */
const ELB = String.raw`arn:aws[a-zA-Z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}`;
export const LISTENER_ARN = new RegExp(`^${ELB}:listener/(app|net)/([a-zA-Z0-9-]{1,32})/[0-9a-f]{16}/[0-9a-f]{16}$`);
export const RULE_ARN = new RegExp(`^${ELB}:listener-rule/(app)/([a-zA-Z0-9-]{1,32})/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`);
export const TARGET_GROUP_ARN = new RegExp(`^${ELB}:targetgroup/([a-zA-Z0-9-]{1,32})/[0-9a-f]{16}$`);
export const TARGET_GROUP_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;
const ECS = String.raw`arn:aws[a-zA-Z-]*:ecs:[a-z0-9-]+:\d{12}`;
const CLUSTER_ARN = new RegExp(`^${ECS}:cluster/([a-zA-Z0-9_-]{1,255})$`);
const SERVICE_ARN = new RegExp(`^${ECS}:service/(?:([a-zA-Z0-9_-]{1,255})/)?([a-zA-Z0-9_-]{1,255})$`);
const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** The load balancer type a listener or rule ARN names (`app` or `net`), or undefined when it is not one. */
export function loadBalancerKind(arn: string): "app" | "net" | undefined {
  return (LISTENER_ARN.exec(arn) ?? RULE_ARN.exec(arn))?.[1] as "app" | "net" | undefined;
}

/**
 * The load balancer a listener or rule ARN belongs to (`...:loadbalancer/app|net/<name>/<id>`, what DescribeTargetGroups'
 * LoadBalancerArns lists), or undefined when it is neither.
 */
export function loadBalancerArnOf(routeArn: string): string | undefined {
  if (!LISTENER_ARN.test(routeArn) && !RULE_ARN.test(routeArn)) return undefined;
  const [prefix, path = ""] = routeArn.split(/:listener(?:-rule)?\//);
  return `${prefix}:loadbalancer/${path.split("/").slice(0, 3).join("/")}`;
}

/** A target group's name from its name or ARN. */
export function targetGroupName(nameOrArn: string): string {
  return TARGET_GROUP_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
}

export function isTargetGroupRef(v: string): boolean {
  return TARGET_GROUP_ARN.test(v) || TARGET_GROUP_NAME.test(v);
}

/** A cluster's short name from its name or ARN; undefined when it is neither. */
export function clusterName(ref: string): string | undefined {
  return CLUSTER_ARN.exec(ref)?.[1] ?? (NAME.test(ref) ? ref : undefined);
}

/** A service's short name (and its cluster, when the ARN names it) from its name or ARN. */
export function serviceName(ref: string): { name: string; cluster?: string } | undefined {
  const m = SERVICE_ARN.exec(ref);
  if (m) return m[1] ? { name: m[2] as string, cluster: m[1] } : { name: m[2] as string };
  return NAME.test(ref) ? { name: ref } : undefined;
}
