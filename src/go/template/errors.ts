/** Errors of the template engine. */
export type TemplateErrorKind = "parse" | "exec";

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: TemplateErrorKind,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

/** A function failure inside a template (becomes `error calling f: <message>`). */
export class FuncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FuncError";
  }
}
