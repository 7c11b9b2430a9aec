import * as z from "zod";
import { record } from "../schema/fields.js";
import { type ServerWeighted, TrafficRoutingSchema } from "./weighted.js";

/**
 * CodeDeploy's `blueGreenDeploymentConfiguration` for EC2 (codedeploy-spec §6.1), with CodeDeploy's API names:
 *  - `greenFleetProvisioningOption.action`: DISCOVER_EXISTING (the replacement instances are `targetInstances`,
 *    CreateDeployment's, found by tag or id) or COPY_AUTO_SCALING_GROUP (a new Auto Scaling group copied from the
 *    original, `target.autoScalingGroups`, at its count of InService instances). Default DISCOVER_EXISTING.
 *  - `deploymentReadyOption`: CONTINUE_DEPLOYMENT reroutes as soon as the green fleet is installed (the default);
 *    STOP_DEPLOYMENT waits `waitTimeInMinutes` (1-2880: EC2's 48 hours, UG/limits) for `stepdeploy continue`, then
 *    the deployment is Stopped (Deploy.ReadyWaitExpired) and rolled back.
 *  - `terminateBlueInstancesOnDeploymentSuccess`: TERMINATE after `terminationWaitTimeInMinutes` (0-2880; default 0,
 *    as the ECS deployments here and the CDK) or KEEP_ALIVE (the originals stay running, deregistered).
 */
export const MAX_WAIT_MINUTES = 2880;

const minutes = (min: number) =>
  z
    .int({ error: `must be a whole number of minutes from ${min} to ${MAX_WAIT_MINUTES}` })
    .min(min, { error: `must be a whole number of minutes from ${min} to ${MAX_WAIT_MINUTES}` })
    .max(MAX_WAIT_MINUTES, { error: `must be a whole number of minutes from ${min} to ${MAX_WAIT_MINUTES} (CodeDeploy's 48 hours)` });

/** CodeDeploy's blueGreenDeploymentConfiguration for EC2, as a deployment group carries it. */
export const blueGreenOptionsShape = {
  greenFleetProvisioningOption: record({ action: z.enum(["DISCOVER_EXISTING", "COPY_AUTO_SCALING_GROUP"], { error: "must be DISCOVER_EXISTING or COPY_AUTO_SCALING_GROUP" }) }, '{"action": "DISCOVER_EXISTING" | "COPY_AUTO_SCALING_GROUP"}').optional(),
  deploymentReadyOption: record(
    { actionOnTimeout: z.enum(["CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"], { error: "must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT" }), waitTimeInMinutes: minutes(0).optional() },
    '{"actionOnTimeout", "waitTimeInMinutes"}',
  )
    .refine((r) => r.actionOnTimeout !== "STOP_DEPLOYMENT" || (r.waitTimeInMinutes ?? 0) >= 1, { error: "STOP_DEPLOYMENT needs waitTimeInMinutes 1-2880: how long to wait for `stepdeploy continue`", path: ["waitTimeInMinutes"] })
    .optional(),
  terminateBlueInstancesOnDeploymentSuccess: record(
    { action: z.enum(["TERMINATE", "KEEP_ALIVE"], { error: "must be TERMINATE or KEEP_ALIVE" }), terminationWaitTimeInMinutes: minutes(0).optional() },
    '{"action", "terminationWaitTimeInMinutes"}',
  ).optional(),
};

/** The deploy-server input's `blueGreen`: the options plus CreateDeployment's `targetInstances` (the green fleet of DISCOVER_EXISTING). */
export function blueGreenSchema<T extends z.ZodType>(targetSchema: T) {
  return record(
    {
      ...blueGreenOptionsShape,
      targetInstances: targetSchema.optional().meta({ description: "DISCOVER_EXISTING: the replacement (green) instances, by tags, tagFilters or instanceIds (CreateDeployment's targetInstances)." }),
      trafficRouting: TrafficRoutingSchema.optional(),
    },
    "with CodeDeploy's blueGreenDeploymentConfiguration fields and targetInstances",
  ).meta({ description: "EC2 blue/green (docs/ec2.md#blue-green): install on a replacement fleet, reroute the target groups to it, then terminate or keep the originals." });
}

/** The blue/green options as the workflow keeps them (`$.run.blueGreen`), with the original fleet it found at Start. */
export interface ServerBlueGreen {
  provisioning: "DISCOVER_EXISTING" | "COPY_AUTO_SCALING_GROUP";
  /** STOP_DEPLOYMENT's wait for `stepdeploy continue`, in seconds; 0: reroute at once. */
  readyWaitSeconds: number;
  /** TERMINATE's wait before the originals go; null: KEEP_ALIVE. */
  terminationWaitSeconds: number | null;
  /** The original (blue) instances serving now, in id order. */
  original: string[];
  /** COPY_AUTO_SCALING_GROUP: the original group and its copy. */
  originalGroup?: string;
  greenGroup?: string;
  /** With `trafficRouting`: the listener's weighted steps (domain/fleet/weighted.ts) instead of the all-at-once reroute. */
  weighted?: ServerWeighted;
}

/** The options with CodeDeploy's defaults filled in (and ours where it has none: a 0-minute termination wait). */
export function blueGreenOf(o: { greenFleetProvisioningOption?: { action: ServerBlueGreen["provisioning"] }; deploymentReadyOption?: { actionOnTimeout: string; waitTimeInMinutes?: number }; terminateBlueInstancesOnDeploymentSuccess?: { action: string; terminationWaitTimeInMinutes?: number } }): Omit<ServerBlueGreen, "original"> {
  const ready = o.deploymentReadyOption;
  const end = o.terminateBlueInstancesOnDeploymentSuccess ?? { action: "TERMINATE" };
  return {
    provisioning: o.greenFleetProvisioningOption?.action ?? "DISCOVER_EXISTING",
    readyWaitSeconds: ready?.actionOnTimeout === "STOP_DEPLOYMENT" ? (ready.waitTimeInMinutes ?? 0) * 60 : 0,
    terminationWaitSeconds: end.action === "KEEP_ALIVE" ? null : (end.terminationWaitTimeInMinutes ?? 0) * 60,
  };
}

/** The name CodeDeploy gives the copy of an Auto Scaling group: CodeDeploy_<deployment group>_<deployment id> (at most 255 characters). */
export function greenGroupName(deploymentGroup: string, deploymentId: string): string {
  return `CodeDeploy_${deploymentGroup}_${deploymentId}`.slice(0, 255);
}
