export const handler = async () => ({ version: 4 });
