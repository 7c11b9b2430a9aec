import { memoryIO } from "../../cli/io.js";
import { main } from "../../cli/main.js";

/** Runs `stepdeploy <argv>` in process, as a user types it; handler logs at WARN. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIO({ ...process.env, POWERTOOLS_LOG_LEVEL: "WARN" });
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
