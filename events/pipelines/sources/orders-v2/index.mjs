export const handler = async () => ({ version: 2 });
