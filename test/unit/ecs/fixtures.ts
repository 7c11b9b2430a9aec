/** ARNs of the shapes ELBv2 and ECS use, for the ECS domain tests. */
export const ELB = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
export const LISTENER = `${ELB}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const TEST_LISTENER = `${ELB}:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65`;
export const RULE = `${ELB}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
export const NLB_LISTENER = `${ELB}:listener/net/edge/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const BLUE = `${ELB}:targetgroup/web-blue/6d0ecf831eec9f09`;
export const GREEN = `${ELB}:targetgroup/web-green/73e2d6bc24d8a067`;
export const TD = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";

export const TARGET_INPUT = { cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: LISTENER }, testTrafficRoute: { listenerArn: TEST_LISTENER }, containerName: "web", containerPort: 80 };

/** The problems a ValidationErrors carries, as "field: reason" lines. */
export function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    const problems = (e as { problems?: { field: string; reason: string }[]; field?: string; message: string }).problems;
    return problems ? problems.map((p) => `${p.field}: ${p.reason}`) : [(e as Error).message];
  }
  throw new Error("expected a validation error");
}
