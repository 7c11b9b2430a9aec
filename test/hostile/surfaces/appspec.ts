import { loadAppSpec, type Platform } from "../../../functions/domain/appspec/index.js";
import { refusedWith, type Surface } from "../case.js";
import { pollutedSince, prototypeSnapshot } from "./sandbox.js";

export interface AppSpecInput {
  text: string;
  platform?: Platform;
}

/** loadAppSpec on the text. It writes nothing; what it could change is a built-in prototype. */
export const appSpecSurface: Surface<AppSpecInput> = {
  name: "loadAppSpec",
  async attempt(input) {
    const before = prototypeSnapshot();
    try {
      loadAppSpec(input.text, input.platform ? { platform: input.platform } : {});
      return { changed: pollutedSince(before) };
    } catch (e) {
      return { error: refusedWith(e), changed: pollutedSince(before) };
    }
  },
};
