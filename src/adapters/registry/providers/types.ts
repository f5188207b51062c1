/** What every cloud provider of spec.provider implements. */

export type CloudProviderName = "aws" | "gcp" | "azure";

export interface ProviderToken {
  username: string;
  password: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface CloudProvider {
  name: CloudProviderName;
  /** What the operator must give (for messages). */
  identityHint: string;
  /** The hosts it serves, for messages. */
  hostsHint: string;
  /** The cache key for a registry host it serves, or undefined when it does not serve it. */
  keyFor(registry: string): string | undefined;
  fetch(registry: string, ctx: FetchContext): Promise<ProviderToken>;
}

export interface FetchContext {
  signal?: AbortSignal;
  /** Azure: POSTs the Entra ID token to https://<registry>/oauth2/exchange. */
  exchange: AcrExchange;
}

/** Azure: POSTs a form to https://<registry>/oauth2/exchange through the registry transport. */
export type AcrExchange = (registry: string, form: Record<string, string>, signal?: AbortSignal) => Promise<unknown>;
