import { DescribeInstancesCommand, EC2Client, type Filter, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import type { Ec2Instance, Ec2InstancesPort } from "../ports/instances.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const ec2Client = (): EC2Client => cachedClient("ec2", (options) => new EC2Client(options));

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toStepDeployError(e, what);
  }
}

/** EC2 takes at most 200 values in one filter (DescribeInstances API reference, Filter). */
const MAX_FILTER_VALUES = 200;

/** EC2: DescribeInstances by tag filters (`tag:<key>`, `tag-key`) or ids (200 a call), paged; TerminateInstances in groups of 1000. */
export function createEc2Adapter(): Ec2InstancesPort {
  const port: Ec2InstancesPort = {
    async findInstances(query) {
      const ids = query.instanceIds;
      if (ids && ids.length > MAX_FILTER_VALUES) {
        const found: Ec2Instance[] = [];
        for (let k = 0; k < ids.length; k += MAX_FILTER_VALUES) found.push(...(await port.findInstances({ ...query, instanceIds: ids.slice(k, k + MAX_FILTER_VALUES) })));
        return found;
      }
      const filters: Filter[] = [];
      for (const [key, values] of Object.entries(query.tags ?? {})) filters.push({ Name: `tag:${key}`, Values: values });
      if (query.tagKeys) filters.push({ Name: "tag-key", Values: query.tagKeys });
      if (ids) filters.push({ Name: "instance-id", Values: ids });
      const found: Ec2Instance[] = [];
      let next: string | undefined;
      do {
        const out = await call("ec2:DescribeInstances", () => ec2Client().send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, NextToken: next })));
        for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) found.push({ id: i.InstanceId, state: i.State?.Name ?? "" });
        next = out.NextToken;
      } while (next);
      return found;
    },
    async terminate(instanceIds) {
      for (let k = 0; k < instanceIds.length; k += 1000) {
        const ids = instanceIds.slice(k, k + 1000);
        await call(`ec2:TerminateInstances ${ids.length}`, () => ec2Client().send(new TerminateInstancesCommand({ InstanceIds: ids })));
      }
    },
  };
  return port;
}
