/**
 * The ECS standard deploy action reads `imagedefinitions.json` (or FileName) from its input
 * artifact: a list of `{"name": <container>, "imageUri": <image>}` (user guide file-reference), at
 * most 100 KB (codepipeline-spec §1.9). The action registers a new revision of the service's task
 * definition with those images and updates the service (a rolling update), then waits until the
 * service is stable.
 */
export const IMAGE_DEFINITIONS_MAX_BYTES = 100 * 1024;

export interface ImageDefinition {
  name: string;
  imageUri: string;
}

export function parseImageDefinitions(text: string, file = "imagedefinitions.json"): ImageDefinition[] {
  if (Buffer.byteLength(text) > IMAGE_DEFINITIONS_MAX_BYTES) throw new Error(`${file} is over ${IMAGE_DEFINITIONS_MAX_BYTES / 1024} KB`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${file} must be a non-empty JSON list of {"name", "imageUri"}`);
  return parsed.map((entry, i) => {
    const e = entry as { name?: unknown; imageUri?: unknown };
    if (typeof e.name !== "string" || !e.name || typeof e.imageUri !== "string" || !e.imageUri) throw new Error(`${file}[${i}] needs a string "name" (the container) and "imageUri"`);
    return { name: e.name, imageUri: e.imageUri };
  });
}

/** The container definitions with the new images; a name that matches no container is an error. */
export function withImages<C extends { name?: string; image?: string }>(containers: C[], images: ImageDefinition[]): C[] {
  for (const img of images) {
    if (!containers.some((c) => c.name === img.name)) throw new Error(`imagedefinitions names container '${img.name}', which the task definition does not have (${containers.map((c) => c.name).join(", ")})`);
  }
  return containers.map((c) => {
    const img = images.find((i) => i.name === c.name);
    return img ? { ...c, image: img.imageUri } : c;
  });
}
