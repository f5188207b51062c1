/** Registry adapter: OCI distribution client, credentials, SSRF guard. */
export {
  createRegistryClient,
  DEFAULT_SCAN_TIMEOUT_MS,
  type ListTagsOptions,
  type ListTagsResult,
  type RegistryClient,
  type RegistryClientOptions,
} from "./client.js";
export {
  credentialIdentity,
  dockerConfigFromObject,
  loadDockerConfig,
  loadServerCredentials,
  serverCredentialsFromObject,
  type DockerConfigCredentials,
  type ServerCredentials,
} from "./credentials.js";
export {
  RegistryAuthError,
  RegistryError,
  RegistryForbiddenAddressError,
  RegistryInvalidImageError,
  RegistryInvalidResponseError,
  RegistryNotFoundError,
  RegistryRateLimitedError,
  RegistryTimeoutError,
  RegistryUnavailableError,
  type RegistryErrorCode,
} from "./errors.js";
export { isForbiddenAddress, type LookupFunction } from "./ssrf.js";
export { createRegistryAccess, RegistryAccess, type AccessPlan, type CreateAccessOptions } from "./access.js";
export { loadCaFile, type RegistryConnection } from "./tls.js";
export { parseWwwAuthenticate } from "./auth.js";
export { parseNextLink } from "./tags.js";
