/**
 * `provider: aws`: Amazon ECR. A token from ECR `GetAuthorizationToken` in the
 * registry's region with the AWS SDK's default credential chain (environment,
 * web identity / IRSA, EKS Pod Identity, shared config, instance metadata);
 * `public.ecr.aws` uses ECR Public in us-east-1. As fluxcd/pkg auth/aws
 * provider.go: the token decodes to `user:password` and carries its expiry.
 * `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_ECR_PUBLIC` point the SDK elsewhere.
 */
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { ECRPUBLICClient } from "@aws-sdk/client-ecr-public";
import type { CloudProvider, FetchContext, ProviderToken } from "./types.js";

/**
 * fluxcd/pkg auth/aws provider.go `registryPattern` (from the ECR credential
 * helper), anchored here: Flux matches it anywhere in the string, which would
 * also accept `<id>.dkr.ecr.<region>.amazonaws.com.evil.example`. The region
 * must look like one (`us-east-1`, `us-isob-east-1`): it picks an SDK client.
 */
const ECR_HOST =
  /^([0-9]+)\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.(?:amazonaws\.com(?:\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;
const PUBLIC_ECR = "public.ecr.aws";
/** Regions come from repository content: keep a bounded number of SDK clients. */
const MAX_REGION_CLIENTS = 64;

/** The region of an ECR host, `public.ecr.aws` for ECR Public, or undefined. */
export function ecrRegion(registry: string): string | undefined {
  const host = registry.toLowerCase();
  if (host === PUBLIC_ECR) return PUBLIC_ECR;
  return ECR_HOST.exec(host)?.[2];
}

function decode(token: string | undefined, expiresAt: Date | undefined): ProviderToken {
  if (!token) throw new Error("ECR returned no authorization token");
  if (!expiresAt) throw new Error("ECR returned an authorization token without expiry");
  const plain = Buffer.from(token, "base64").toString("utf8");
  const colon = plain.indexOf(":");
  if (colon <= 0) throw new Error("ECR returned an authorization token that is not user:password");
  return { username: plain.slice(0, colon), password: plain.slice(colon + 1), expiresAt: expiresAt.getTime() };
}

export function awsProvider(): CloudProvider {
  const clients = new Map<string, ECRClient>();
  let publicClient: ECRPUBLICClient | undefined;
  return {
    name: "aws",
    identityHint: "the AWS default credential chain (AWS_* variables, IRSA / EKS Pod Identity, instance profile)",
    hostsHint: "<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn] and public.ecr.aws",
    keyFor: ecrRegion,
    async fetch(registry: string, ctx: FetchContext): Promise<ProviderToken> {
      const region = ecrRegion(registry)!;
      if (region === PUBLIC_ECR) {
        // ECR Public tokens come from us-east-1 only
        // the SDKs are loaded on first use: most processes never need them
        const sdk = await import("@aws-sdk/client-ecr-public");
        publicClient ??= new sdk.ECRPUBLICClient({ region: "us-east-1" });
        const out = await publicClient.send(new sdk.GetAuthorizationTokenCommand({}), { abortSignal: ctx.signal });
        return decode(out.authorizationData?.authorizationToken, out.authorizationData?.expiresAt);
      }
      const sdk = await import("@aws-sdk/client-ecr");
      let client = clients.get(region);
      if (!client) {
        if (clients.size >= MAX_REGION_CLIENTS) clients.clear();
        client = new sdk.ECRClient({ region });
        clients.set(region, client);
      }
      const out = await client.send(new sdk.GetAuthorizationTokenCommand({}), { abortSignal: ctx.signal });
      const data = out.authorizationData?.[0];
      return decode(data?.authorizationToken, data?.expiresAt);
    },
  };
}
