/** Applications and deployment groups as code (config/groups.<stage>.yml) and deployments of a group's revision. */
export * from "./groups.js";
export * from "./id.js";
export * from "./request.js";
export * from "./schema.js";
export * from "./triggers.js";
export * from "./platforms.js";
