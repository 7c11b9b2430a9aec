/** A groups document with one Lambda application, `orders-app`, holding `groups` (plus top-level `extra`). */
export const ordersApp = (groups: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  applications: { "orders-app": { computePlatform: "Lambda", deploymentGroups: groups } },
  ...extra,
});
