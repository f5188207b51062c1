/** sprig v3's hermetic text function map (HermeticTxtFuncMap). */
import type { FuncMap } from "../template/exec.js";
import { cryptoFuncs } from "./crypto.js";
import { dateFuncs } from "./dates.js";
import { encodingFuncs } from "./encoding.js";
import { listFuncs } from "./lists.js";
import { miscFuncs } from "./misc.js";
import { pathFuncs } from "./paths.js";
import { regexFuncs } from "./regex.js";
import { semverFuncs } from "./semver.js";
import { stringFuncs } from "./strings.js";
import { urlFuncs } from "./url.js";

let cached: FuncMap | undefined;

/** The function map Flux installs: sprig.HermeticTxtFuncMap(). */
export function hermeticFuncMap(): FuncMap {
  cached ??= {
    ...stringFuncs(),
    ...listFuncs(),
    ...miscFuncs(),
    ...encodingFuncs(),
    ...pathFuncs(),
    ...regexFuncs(),
    ...semverFuncs(),
    ...urlFuncs(),
    ...dateFuncs(),
    ...cryptoFuncs(),
  };
  return cached;
}
