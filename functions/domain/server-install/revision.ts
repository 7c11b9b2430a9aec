import type { AppSpecHook, AppSpecResource, AppSpecResult } from "../appspec/index.js";
import { ValidationError } from "../errors.js";
import type { ServerRevision } from "./types.js";

/** The install-relevant part of a valid server AppSpec (parse it with loadAppSpec(text, {platform: "server"})). */
export function serverRevision(appspec: AppSpecResult): ServerRevision {
  if (appspec.platform !== "server" || !appspec.server) throw new ValidationError("appspec", `is a ${appspec.platform ?? "unknown"} AppSpec, not an EC2/on-premises one`);
  if (!appspec.valid) throw new ValidationError("appspec", appspec.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  const { os, fileExistsBehavior, permissions } = appspec.server;
  if (!os) throw new ValidationError("appspec.os", "required: linux or windows");
  return {
    os,
    files: appspec.resources.filter((r): r is Extract<AppSpecResource, { kind: "files" }> => r.kind === "files"),
    fileExistsBehavior,
    permissions,
    hooks: appspec.hooks.filter((h): h is Extract<AppSpecHook, { kind: "scripts" }> => h.kind === "scripts"),
  };
}
