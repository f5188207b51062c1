/** Typed reads of untyped YAML data that collect Problems instead of throwing. */
import type { Problem } from "../errors.js";
import { problem } from "../errors.js";
import type { YamlDoc } from "./documents.js";

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads fields of one document and records problems against it. */
export class FieldReader {
  readonly problems: Problem[] = [];
  constructor(
    private readonly doc: YamlDoc,
    private readonly label: string,
  ) {}

  fail(path: (string | number)[], message: string, code = "manifest.invalid-field"): void {
    this.problems.push(problem(code, message, { file: this.doc.file, line: this.doc.lineOf(path), object: this.label }));
  }

  warn(path: (string | number)[], message: string, code: string): void {
    this.problems.push({ ...problem(code, message, { file: this.doc.file, line: this.doc.lineOf(path), object: this.label }), severity: "warning" });
  }

  get(path: (string | number)[]): unknown {
    let cur: unknown = this.doc.data;
    for (const key of path) {
      if (isObj(cur)) cur = cur[key as string];
      else if (Array.isArray(cur) && typeof key === "number") cur = cur[key];
      else return undefined;
    }
    return cur;
  }

  string(path: (string | number)[], opts: { required?: boolean; allowEmpty?: boolean } = {}): string | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) {
      if (opts.required) this.fail(path, `${path.join(".")} is required`, "manifest.missing-field");
      return undefined;
    }
    if (typeof v !== "string") {
      // YAML may read `1.0` or `true` as a non-string; Kubernetes would reject it for a string field.
      this.fail(path, `${path.join(".")} must be a string (quote the value)`);
      return undefined;
    }
    if (!opts.allowEmpty && v === "" && opts.required) {
      this.fail(path, `${path.join(".")} must not be empty`, "manifest.missing-field");
      return undefined;
    }
    return v;
  }

  bool(path: (string | number)[]): boolean | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") {
      this.fail(path, `${path.join(".")} must be true or false`);
      return undefined;
    }
    return v;
  }

  object(path: (string | number)[], opts: { required?: boolean } = {}): Obj | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) {
      if (opts.required) this.fail(path, `${path.join(".")} is required`, "manifest.missing-field");
      return undefined;
    }
    if (!isObj(v)) {
      this.fail(path, `${path.join(".")} must be a mapping`);
      return undefined;
    }
    return v;
  }

  stringList(path: (string | number)[]): string[] | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(path, `${path.join(".")} must be a list of strings`);
      return undefined;
    }
    return v as string[];
  }

  stringMap(path: (string | number)[]): Record<string, string> | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (!isObj(v) || Object.values(v).some((x) => typeof x !== "string")) {
      this.fail(path, `${path.join(".")} must be a mapping of strings to strings (quote the values)`);
      return undefined;
    }
    return v as Record<string, string>;
  }

  enumValue<T extends string>(path: (string | number)[], allowed: readonly T[]): T | undefined {
    const v = this.string(path);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      this.fail(path, `${path.join(".")} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, not "${v}"`);
      return undefined;
    }
    return v as T;
  }
}
