import type { CallbackWorld } from "./callbacks.js";
import { IntegrationError } from "./sdk-integrations.js";

/**
 * `arn:aws:states:::codebuild:startBuild.sync`, run the way Step Functions runs it: StartBuild with
 * the task's parameters (PascalCase, as the optimized integration takes them), then wait until the
 * build is complete. A build that succeeds gives `{Build: {...}}` in PascalCase (the integration's
 * result shape, `Build.ExportedEnvironmentVariables[].Name`); one that does not fails the task with
 * `States.TaskFailed` and the Build as Cause. StartBuild's own errors are `CodeBuild.<Exception>`.
 */
export const CODEBUILD_SYNC = "arn:aws:states:::codebuild:startBuild.sync";

const camel = (k: string) => `${k.charAt(0).toLowerCase()}${k.slice(1)}`;
const pascal = (k: string) => `${k.charAt(0).toUpperCase()}${k.slice(1)}`;

function rekey(v: unknown, key: (k: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => rekey(x, key));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [key(k), rekey(x, key)]));
  return v;
}

export async function runCodeBuildSync(params: unknown, world: CallbackWorld | undefined): Promise<unknown> {
  const codebuild = world?.codebuild;
  if (!codebuild) throw new IntegrationError("States.Runtime", `${CODEBUILD_SYNC} needs an account with CodeBuild (the simulated account)`);
  let id: string;
  try {
    id = codebuild.startBuild(rekey(params, camel) as Record<string, unknown>).id;
  } catch (e) {
    throw new IntegrationError(`CodeBuild.${(e as Error).name}`, (e as Error).message);
  }
  const { log: _log, failure, wallMs: _wall, ...build } = await codebuild.whenDone(id);
  const Build = rekey(build, pascal);
  if (build.buildStatus === "SUCCEEDED") return { Build };
  throw new IntegrationError("States.TaskFailed", JSON.stringify({ ...(Build as object), ...(failure ? { FailureReason: failure } : {}) }));
}
