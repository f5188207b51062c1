/**
 * The slice of Octokit this adapter uses: `octokit.request(route, params)`.
 * ProbotOctokit (from `app.auth(installationId)`) satisfies it, and so does a plain @octokit/core instance.
 */
export interface OctokitResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<OctokitResponseLike>;
}

/** Returns the Octokit for one installation, e.g. `(id) => app.auth(id)`. */
export type GetOctokit = (installationId: number) => Promise<OctokitLike>;
