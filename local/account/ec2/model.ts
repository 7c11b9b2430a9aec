import type { InstanceBehaviour } from "../ssm/model.js";

/** EC2 instance states the simulation walks through (API InstanceState: code 0 pending, 16 running, 32 shutting-down, 48 terminated). */
export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated";
export const STATE_CODES: Record<InstanceStateName, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48 };

/** Simulated seconds an instance stays pending after launch, and shutting-down after TerminateInstances (ours). */
export const PENDING_SECONDS = 30;
export const SHUTTING_DOWN_SECONDS = 30;

export interface Ec2Instance {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  tags: Record<string, string>;
  launchedAtMs: number;
  /** Running from this moment (launch + PENDING_SECONDS; the clock's start for instances there from the start). */
  runningAtMs: number;
  terminateRequestedAtMs?: number;
  /** The launch template it was launched from (an Auto Scaling group's). */
  launchTemplate?: string;
}

/** A launch template as far as the simulation needs it: its name, and how instances launched from it answer SSM commands. */
export interface LaunchTemplate {
  id: string;
  name: string;
  imageId: string;
  instanceType: string;
  behaviour?: Partial<InstanceBehaviour>;
}
