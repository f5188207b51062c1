/**
 * The GitHub account that owns an installation, as jobs and state carry it:
 * `<id>/<login>` (ids never change; a login can be renamed and registered
 * again by someone else). Jobs of older versions hold only a login.
 */
export function accountRefOf(id: number | string | undefined, login: string | undefined): string | undefined {
  const i = id === undefined || id === null ? "" : String(id);
  if (/^[1-9][0-9]{0,19}$/.test(i)) return login ? `${i}/${login}` : i;
  return login;
}

export function parseAccountRef(ref: string | undefined): { id?: string; login?: string } {
  if (!ref) return {};
  const m = /^([1-9][0-9]{0,19})(?:\/(.+))?$/.exec(ref);
  if (m) return { id: m[1], ...(m[2] ? { login: m[2] } : {}) };
  return { login: ref };
}
