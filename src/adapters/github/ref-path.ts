/**
 * Branch names in ref URLs. Octokit expands `{branch}` with
 * encodeURIComponent, so `flux/image-updates` went out as
 * `heads/flux%2Fimage-updates`, which GitHub Enterprise Server has been
 * reported to answer with 404. Each segment is encoded on its own and the
 * slashes are sent as they are, as GitHub's own clients do.
 */
export function refPath(branch: string): string {
  return branch.split("/").map(encodeURIComponent).join("/");
}

/** The REST API version the bot is written against, sent as `X-GitHub-Api-Version` on every request. */
export const GITHUB_API_VERSION = "2022-11-28";
