// Docker HEALTHCHECK for the flux-image-bot image: GET /healthz on the web
// server, exit 0 on HTTP 200, 1 otherwise (no curl in node slim images).
//
// A `--role worker` container (or ROLE=worker) serves no HTTP at all; it is
// reported healthy as long as it runs: a worker that loses Redis keeps
// reconnecting, and one that crashes exits (restart policy applies).
import { readFileSync } from "node:fs";
import http from "node:http";

function role() {
  let args = [];
  try {
    // PID 1 is `node lib/main.js …` in the image
    args = readFileSync("/proc/1/cmdline", "utf8").split("\0");
  } catch {
    /* not Linux, or no /proc: fall back to ROLE */
  }
  const i = args.indexOf("--role");
  const flag = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--role="))?.slice(7);
  return flag || process.env.ROLE || "all";
}

if (role() === "worker") process.exit(0);

// Probot listens on HOST (default "localhost"); a wildcard address is reached on loopback.
const bind = process.env.HOST;
const host = !bind ? "localhost" : ["0.0.0.0", "::", "[::]"].includes(bind) ? "127.0.0.1" : bind.replace(/^\[|\]$/g, "");
const port = Number(process.env.PORT || 3000);
const req = http.get({ host, port, path: "/healthz", timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", () => process.exit(1));
