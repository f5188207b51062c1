/**
 * Issue 12 item 2: commit-message templates cannot block a worker. The
 * server renders in a worker thread with a deadline and a heap limit; a
 * template over budget is `template.budget-exceeded` while the event loop
 * other jobs share keeps ticking and another render finishes meanwhile.
 * In process (the CLI), costly sprig functions are weighted in the step
 * budget and compiled regexps are cached. A plan with nothing to commit is
 * never rendered.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { WorkerTemplateRenderer } from "../../src/adapters/template/worker-renderer.js";
import { inProcessRenderer, renderPlanMessage } from "../../src/app/commit-message.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { evaluatePolicies, planAutomation } from "../../src/core/plan.js";
import { renderCommitMessage, type CommitTemplateData } from "../../src/core/template/index.js";
import type { TemplateRenderer } from "../../src/app/ports/index.js";

const data: CommitTemplateData = { automation: { namespace: "flux-system", name: "app" }, result: { fileChanges: {} } };
const RSA_BOMB = '{{range until 1000000}}{{$x := genPrivateKey "rsa"}}{{end}}';

/** Largest gap between 10 ms ticks of the event loop while `work` runs. */
async function maxLag<T>(work: () => Promise<T>): Promise<{ value: T; lagMs: number; ms: number }> {
  let lag = 0;
  let last = Date.now();
  const tick = setInterval(() => {
    const now = Date.now();
    lag = Math.max(lag, now - last - 10);
    last = now;
  }, 10);
  const started = Date.now();
  try {
    const value = await work();
    return { value, lagMs: lag, ms: Date.now() - started };
  } finally {
    clearInterval(tick);
  }
}

describe("the worker-thread renderer", () => {
  const renderer = new WorkerTemplateRenderer({ timeoutMs: 2000, maxMemoryMb: 32, maxWorkers: 2 });
  afterAll(async () => {
    await renderer.close();
  });

  it("renders an ordinary template like the engine does", async () => {
    expect(await renderer.render("{{ .AutomationObject.Name }}: {{ range until 3 }}x{{ end }}", data, new Date())).toEqual({ ok: true, message: "app: xxx" });
  });

  it("stops the genPrivateKey loop at its deadline while the event loop and another render go on", async () => {
    const { value, lagMs, ms } = await maxLag(async () => {
      const bomb = renderer.render(RSA_BOMB, data, new Date());
      const ordinary = renderer.render("fine", data, new Date());
      return { bomb: await bomb, ordinary: await ordinary };
    });
    expect(value.bomb).toMatchObject({ ok: false, code: "template.budget-exceeded" });
    expect(value.ordinary).toEqual({ ok: true, message: "fine" });
    // 2 s deadline (+ starting a thread on a loaded machine); before, this template ran for days
    expect(ms).toBeLessThan(20_000);
    // the event loop the other jobs share never waited on the template
    expect(lagMs).toBeLessThan(500);
    process.stdout.write(
      `template bomb: stopped after ${ms} ms (${value.bomb.ok ? "" : value.bomb.error.slice(0, 120)}), event-loop lag at most ${lagMs} ms\n`,
    );
    // the same template again is answered from memory: a hostile tenant costs one deadline, not one per run
    const again = Date.now();
    expect(await renderer.render(RSA_BOMB, data, new Date())).toEqual(value.bomb);
    expect(Date.now() - again).toBeLessThan(100);
  }, 60_000);

  it("stops a template that needs more memory than the thread has", async () => {
    // a long deadline, so that the heap limit is what stops it
    const roomy = new WorkerTemplateRenderer({ timeoutMs: 30_000, maxMemoryMb: 32 });
    try {
      const { value, ms, lagMs } = await maxLag(() => roomy.render("{{ $x := until 5000000 }}{{ len $x }}", data, new Date()));
      expect(value).toMatchObject({ ok: false, code: "template.budget-exceeded" });
      expect(value.ok === false && value.error).toMatch(/needed more than 32 MB of memory/);
      expect(ms).toBeLessThan(30_000);
      expect(lagMs).toBeLessThan(500);
      process.stdout.write(`memory bomb: stopped at the 32 MB heap limit after ${ms} ms, event-loop lag at most ${lagMs} ms\n`);
    } finally {
      await roomy.close();
    }
  }, 60_000);

  it("keeps rendering after a thread was stopped", async () => {
    expect(await renderer.render("again", data, new Date())).toEqual({ ok: true, message: "again" });
  }, 60_000);
});

describe("the step budget in process", () => {
  it("weights key generation: a loop of keys fails after a few", () => {
    const started = Date.now();
    // 100 ECDSA keys are cheap; counted as the RSA-4096 keys the same call can make, fewer than 5 fit
    expect(renderCommitMessage('{{range until 100}}{{$x := genPrivateKey "ecdsa"}}{{end}}', data)).toMatchObject({
      ok: false,
      code: "template.budget-exceeded",
    });
    expect(renderCommitMessage('{{range until 4}}{{$x := genPrivateKey "ecdsa"}}{{end}}ok', data)).toEqual({ ok: true, message: "ok" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("weights derivePassword and bcrypt by what they cost, not one step", () => {
    const started = Date.now();
    // htpasswd charges its bcrypt even when it answers early on a bad user name: 20 fit in the budget
    expect(renderCommitMessage('{{range until 21}}{{$x := htpasswd "a:b" "pw"}}{{end}}', data)).toMatchObject({ ok: false, code: "template.budget-exceeded" });
    expect(renderCommitMessage('{{range until 19}}{{$x := htpasswd "a:b" "pw"}}{{end}}ok', data)).toEqual({ ok: true, message: "ok" });
    // one scrypt run (~0.24 s unloaded) is fine; the ninth is over budget before it runs
    expect(renderCommitMessage('{{ derivePassword 1 "long" "pw" "user" "site" | len }}', data)).toEqual({ ok: true, message: "14" });
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("compiles a regexp once however often it is used, and charges every distinct compile", () => {
    const started = Date.now();
    expect(renderCommitMessage('{{range until 5000}}{{if regexMatch "^(a+)+b$" "aab"}}{{end}}{{end}}ok', data)).toEqual({ ok: true, message: "ok" });
    expect(renderCommitMessage('{{range $i := until 500}}{{if regexMatch (printf "^x%d$" $i) "x"}}{{end}}{{end}}', data)).toMatchObject({
      ok: false,
      code: "template.budget-exceeded",
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("rendering only when committing", () => {
  const files = [
    {
      path: "auto.yaml",
      content:
        "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    commit:\n      author:\n        name: bot\n        email: bot@example.com\n      messageTemplate: '" +
        RSA_BOMB +
        "'\n  update:\n    strategy: Setters\n",
    },
  ];
  const counting = (): TemplateRenderer & { calls: number } => {
    const r = { calls: 0, render: (t: string | undefined, d: CommitTemplateData, now: Date) => (r.calls++, inProcessRenderer.render(t, d, now)) };
    return r;
  };

  it("never renders a plan with nothing to commit", async () => {
    const model = parseRepository(files);
    const { results } = evaluatePolicies(model, new Map());
    const plan = planAutomation(model, model.automations[0]!, results, files, { defaultBranch: "main", render: false });
    const renderer = counting();
    const started = Date.now();
    const after = await renderPlanMessage(renderer, plan, new Date());
    expect(renderer.calls).toBe(0);
    expect(after.messageError).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("renders when there is a change and reports the overrun on the automation", async () => {
    const model = parseRepository(files);
    const plan = planAutomation(model, model.automations[0]!, [], files, { defaultBranch: "main", render: false });
    plan.changed = [{ path: "x.yaml", content: "x" }];
    const renderer: TemplateRenderer = { render: async () => ({ ok: false, code: "template.budget-exceeded", error: "it did not finish within 2000 ms" }) };
    const after = await renderPlanMessage(renderer, plan, new Date());
    expect(after.messageError?.code).toBe("template.budget-exceeded");
    expect(after.problems).toContainEqual(
      expect.objectContaining({ code: "template.budget-exceeded", object: "ImageUpdateAutomation/flux-system/app", file: "auto.yaml" }),
    );
  });
});
