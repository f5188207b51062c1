/**
 * `provider: gcp`: Google Artifact Registry and Container Registry. An OAuth2
 * access token from Google's application default credentials
 * (GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the metadata server / GKE
 * workload identity), used as the password of `oauth2accesstoken`, as
 * fluxcd/pkg auth/gcp provider.go does. `GCE_METADATA_HOST` points the library
 * at another metadata server.
 */
import type { GoogleAuth } from "google-auth-library";
import type { CloudProvider, ProviderToken } from "./types.js";

/** fluxcd/pkg auth/gcp provider.go `registryPattern`. */
const GCP_HOST = /^(((.+\.)?gcr\.io)|(.+-docker\.pkg\.dev))$/;
/** fluxcd/pkg auth/gcp provider.go `scopes`. */
const SCOPES = ["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/userinfo.email"];
/** When the library does not say, assume the metadata server's usual hour. */
const DEFAULT_LIFETIME_MS = 3600_000;

export function gcpProvider(): CloudProvider {
  // one GoogleAuth per process: it finds the credentials (and the project) once;
  // its client refreshes a token within five minutes of expiry, as ProviderTokens asks
  let auth: GoogleAuth | undefined;
  return {
    name: "gcp",
    identityHint: "Google application default credentials (metadata server / workload identity, or GOOGLE_APPLICATION_CREDENTIALS)",
    hostsHint: "gcr.io, *.gcr.io and *-docker.pkg.dev",
    // one token serves every GCP registry
    keyFor: (registry) => (GCP_HOST.test(registry.toLowerCase()) ? "gcp" : undefined),
    async fetch(): Promise<ProviderToken> {
      auth ??= new (await import("google-auth-library")).GoogleAuth({ scopes: SCOPES });
      const client = await auth.getClient();
      const { token } = await client.getAccessToken();
      if (!token) throw new Error("Google returned no access token");
      const expiry = client.credentials?.expiry_date;
      return { username: "oauth2accesstoken", password: token, expiresAt: typeof expiry === "number" ? expiry : Date.now() + DEFAULT_LIFETIME_MS };
    },
  };
}
