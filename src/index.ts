/**
 * Probot entry: `probot run lib/index.js` works too, though `npm start`
 * (lib/main.js) is the supported way, with roles, health and metrics, and the
 * only one with the bounded webhook receiver (25 MB cap, signature checked
 * before parsing), metrics on METRICS_PORT and the shutdown deadline.
 * This loads the configuration from the environment, builds the services
 * and registers the webhook handlers; workers run in the same process.
 */
import type { Probot } from "probot";
import { loadConfig } from "./config/env.js";
import { appFunction, createServices, startWorkers } from "./services.js";

export default function flux(app: Probot): void {
  const config = loadConfig(process.env);
  const services = createServices(config, app, app.log);
  appFunction(services, config)(app);
  if (config.role !== "web") startWorkers(services.processors, { connection: services.redis, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, logger: app.log, onJobDone: (e) => services.metrics.job(e) });
}
