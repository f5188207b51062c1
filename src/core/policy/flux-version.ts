/**
 * fluxcd/pkg `version.ParseVersion` as ImagePolicy uses it: the tag must have
 * at least two dots (Go `strings.SplitN(tag, ".", 3)` yields three pieces),
 * then Masterminds NewVersion (coerce mode) must accept it. So `1.2` and
 * `v1.0` are rejected while `01.02.03`, `v1.2.3` and `1.2-rc.1` parse.
 */
import { tryNewVersion, type Version } from "../../go/index.js";

export function parseFluxVersion(tag: string): Version | null {
  const first = tag.indexOf(".");
  if (first < 0 || tag.indexOf(".", first + 1) < 0) return null;
  return tryNewVersion(tag);
}
