/**
 * Probot's webhook error handler logs each failed handler's error, and
 * @octokit/webhooks attaches the whole event (payload included) to it as
 * `error.event` (node_modules/@octokit/webhooks/dist-src/event-handler/receive.js).
 * Handlers registered through `withoutPayloadInErrors(app)` rethrow a
 * WebhookHandlerError instead, which keeps the message and code and ignores
 * that assignment, so no log line carries a payload.
 */
import type { Probot } from "probot";

export class WebhookHandlerError extends Error {
  readonly code?: string;
  constructor(cause: unknown) {
    super(String((cause as Error)?.message ?? cause).slice(0, 2000));
    this.name = "WebhookHandlerError";
    const code = (cause as { code?: unknown })?.code;
    if (typeof code === "string") this.code = code;
  }
  /** @octokit/webhooks assigns the event here; it is dropped (an accessor on the prototype, not enumerable). */
  get event(): undefined {
    return undefined;
  }
  set event(_ignored: unknown) {
    /* never kept */
  }
}

/** The same app, whose `on` wraps every handler so that what it throws carries no payload. */
export function withoutPayloadInErrors(app: Probot): Probot {
  const on = ((name: never, handler: (ctx: unknown) => Promise<unknown>) =>
    app.on(name, async (ctx: unknown) => {
      try {
        await handler(ctx);
      } catch (e) {
        throw new WebhookHandlerError(e);
      }
    })) as unknown as Probot["on"];
  return new Proxy(app, {
    get(target, prop) {
      if (prop === "on") return on;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
