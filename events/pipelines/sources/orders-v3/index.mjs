export const handler = async () => ({ version: 3 });
