import assert from "node:assert/strict";
import { handler } from "./index.mjs";

const response = await handler({});
assert.equal(response.statusCode, 200);
console.log("tests passed");
