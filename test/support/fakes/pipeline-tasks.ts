import type { TaskAnswersPort } from "../../../functions/ports/pipeline-tasks.js";

/** Records how each task token was answered; a token answers once (later answers are stale). */
export class FakeTaskAnswers implements TaskAnswersPort {
  readonly answers = new Map<string, { ok: true; output: unknown } | { ok: false; error: string; cause: string }>();

  async sendTaskSuccess(token: string, output: unknown): Promise<boolean> {
    if (this.answers.has(token)) return false;
    this.answers.set(token, { ok: true, output });
    return true;
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    if (this.answers.has(token)) return false;
    this.answers.set(token, { ok: false, error, cause });
    return true;
  }
}
