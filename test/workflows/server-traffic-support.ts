import type { ServerRunReport, ServerScenario, TargetsView } from "../../local/simulate/server.js";

/** What the load-balancer scenarios (server-traffic, server-classic-elb) share. */
export const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;
export const INSTALL = ["ApplicationStop:Succeeded", "DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"];
export const ALL_EVENTS = ["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded", ...INSTALL, "BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded"];

/** `<second> <step> <id>:<state> ...` of one target group or Classic Load Balancer, instances in id order (absent: not listed any more). */
export const viewOf =
  (name: string) =>
  (at: number, state: string, targets: TargetsView): string =>
    `${at} ${state} ${Object.entries(targets[name] ?? {})
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([id, s]) => `${id.slice(-2)}:${s}`)
      .join(" ")}`;

export const withInput = (s: ServerScenario, input: Record<string, unknown>): ServerScenario => ({ ...s, deployments: s.deployments.map((d) => ({ ...d, input: { ...d.input, ...input } })) });
