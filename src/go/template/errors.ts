/** Errors of the template engine. */
/** "budget": the execution ran out of steps or output (a bound of ours, not a Go error). */
export type TemplateErrorKind = "parse" | "exec" | "budget";

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
