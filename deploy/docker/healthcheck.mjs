// Docker HEALTHCHECK for the flux-image-bot image: GET /healthz on the web
// server, exit 0 on HTTP 200, 1 otherwise (no curl in node slim images).
//
// Every role serves /healthz on PORT (workers serve health and metrics only).
import http from "node:http";


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
