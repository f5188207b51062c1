/** Where to send distribution API calls for an `ImageRepository.spec.image`. */
import { parseImageRepositoryImage, type ImageName } from "../../core/image-ref.js";
import { RegistryInvalidImageError } from "./errors.js";

export interface Endpoint {
  name: ImageName;
  /** `https://host[:port]` (or `http://` with spec.insecure). */
  origin: string;
  /** Plain HTTP allowed for this registry and its token realm. */
  allowHttp: boolean;
}

/** Docker Hub's API host: `docker.io`/`index.docker.io` are not API endpoints. */
export function apiHost(registry: string): string {
  return registry === "index.docker.io" || registry === "docker.io" ? "registry-1.docker.io" : registry;
}

export function endpointFor(image: string, insecure: boolean): Endpoint {
  const parsed = parseImageRepositoryImage(image, { insecure });
  if (!parsed.ok) {
    throw new RegistryInvalidImageError(`${parsed.error}; fix spec.image`, { subject: image });
  }
  const scheme = insecure ? "http" : "https";
  return { name: parsed.name, origin: `${scheme}://${apiHost(parsed.name.registry)}`, allowHttp: insecure };
}

/** `/v2/<repository>/<suffix>` on the endpoint; repository segments are URL-safe by construction. */
export function apiUrl(ep: Endpoint, suffix: string): URL {
  return new URL(`${ep.origin}/v2/${ep.name.repository}/${suffix}`);
}
