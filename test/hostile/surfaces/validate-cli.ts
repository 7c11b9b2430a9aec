import validate from "../../../cli/commands/validate.js";
import { memoryIO } from "../../../cli/io.js";
import type { Surface } from "../case.js";
import { leftIn } from "./sandbox.js";

export interface FileInput {
  file: string;
}

/**
 * `stepdeploy validate <file>`. Refused means a non-zero exit; the error's name is the named error the command
 * printed (e.g. Bundle.TooLarge, for a file it refused to read), else "exit <code>".
 */
export const validateCliSurface: Surface<FileInput> = {
  name: "stepdeploy validate",
  async attempt(input, sandbox) {
    const io = memoryIO();
    const code = await validate([input.file], io);
    const changed = await leftIn(sandbox);
    if (code === 0) return { changed };
    const named = /\b(Bundle|Deploy)\.[A-Za-z]+/.exec(io.stderr)?.[0];
    return { error: { name: named ?? `exit ${code}`, message: `exit ${code}: ${io.stderr}` }, changed };
  },
};
