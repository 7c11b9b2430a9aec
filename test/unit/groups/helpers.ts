/** A groups document with one Lambda application, `orders-app`, holding `groups` (plus top-level `extra`). */
export const ordersApp = (groups: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  applications: { "orders-app": { computePlatform: "Lambda", deploymentGroups: groups } },
  ...extra,
});

/** A custom deployment config `Canary25` (25% for 2 minutes, then the rest), as the groups file declares one. */
export const canary25 = { deploymentConfigs: { Canary25: { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 } } } } };
