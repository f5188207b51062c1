/** Types of the setters' public API (re-exported by index.ts). */
import type { LatestRef, ObjectIdentifier, RepoFile, UpdateResult } from "../types.js";
import type { Problem } from "../errors.js";
import type { SetterField } from "./markers.js";

export interface SetterPolicy {
  namespace: string;
  name: string;
  latestRef?: LatestRef;
  /** set when policySelector excludes it */
  notSelected?: boolean;
  /** policy evaluation error, for the no-result problem text */
  error?: string;
}

export interface MarkerInfo {
  file: string;
  line: number;
  setter: string;
  /** ns:name */
  policy: string;
  field: SetterField;
  value: string;
  /** the value the marker's policy sets, when it resolves */
  newValue?: string;
  object: ObjectIdentifier;
}

export interface SetterOutput {
  /** only files whose content changed; paths as given */
  changed: RepoFile[];
  /** keys relative to updatePath */
  result: UpdateResult;
  markers: MarkerInfo[];
  problems: Problem[];
}
