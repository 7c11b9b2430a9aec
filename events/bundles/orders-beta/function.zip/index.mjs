// The function's code package: this folder becomes function.zip inside the bundle.
export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ release: 42, orderId: event?.orderId ?? null }) });
