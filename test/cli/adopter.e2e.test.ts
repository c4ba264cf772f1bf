/**
 * The adopter's path (issue 22): a team forks the repository and adds its own services the README's way; the
 * suites CI runs must still pass. A copy of the repository (its git files, node_modules linked) gets a service
 * with PostgreSQL and Redis in `dev` and an external `prod`, and a cron job in an internal `prod`, through the
 * real `msp init` and `msp init-env`, the spec edited as an owner does (Redis added), `msp docs` per service
 * (README step 2), then `npm test` and the end-to-end files that run over the services of `services/`.
 * The rest of the e2e tier runs on the tests' own fleet (test/fixtures/fleet), and running it from here would
 * run this file again. Slow (the main tier once, in a process of its own): about 1 min on an idle 2-core
 * machine, several under load.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { buildOnce, REPO } from "../helpers/cli";

/** The end-to-end files whose cases follow the services of `services/`. */
const SERVICE_SET_E2E = ["test/program/entry-differential.e2e.test.ts", "test/cli/in-process.e2e.test.ts"];
/** A Notion page ID, as the adopter's operations page would have (32 hex digits). */
const NOTION_PAGE = "5e0c9a7b3d2f4a1b8c6e4f2a0b9d7c5e";

interface Run {
  status: number | null;
  out: string;
  seconds: number;
}

describe("an adopter's own services keep CI green (the README's way, in a copy of the repository)", function () {
  this.timeout(1_800_000);
  let root: string;
  const run = (cmd: string, args: string[]): Run => {
    const started = Date.now();
    const r = spawnSync(cmd, args, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CI: "true" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, seconds: (Date.now() - started) / 1000 };
  };
  const msp = (...args: string[]) => {
    const r = run(process.execPath, ["bin/msp.js", ...args]);
    assert.equal(r.status, 0, `msp ${args.join(" ")}:\n${r.out}`);
    return r.out;
  };
  /** The last lines of a mocha run: its counts and the first failures. */
  const tail = (r: Run) => r.out.split("\n").slice(-60).join("\n");

  before(() => {
    buildOnce();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-adopter-"));
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0");
    for (const f of files.filter(Boolean))
      if (fs.existsSync(path.join(REPO, f))) fs.cpSync(path.join(REPO, f), path.join(root, f));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
    fs.cpSync(path.join(REPO, "build"), path.join(root, "build"), { recursive: true });
    // A clone, as the adopter has: the fork's files committed, the new services in the working tree.
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: root,
        stdio: "ignore",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "a",
          GIT_AUTHOR_EMAIL: "a@example.invalid",
          GIT_COMMITTER_NAME: "a",
          GIT_COMMITTER_EMAIL: "a@example.invalid",
        },
      });
    git("init", "-q", "-b", "main");
    fs.appendFileSync(path.join(root, ".git", "info", "exclude"), "node_modules\n"); // the link
    git("add", "-A");
    git("commit", "-q", "-m", "fork");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("adds a service and a cron job with msp init and init-env, writes their pages, and passes npm test and the service-set e2e files", () => {
    // README step 1: the service, its external production environment, the spec edited (Redis in dev).
    // Whatever the fork already holds: names that are free there, and counts relative to it.
    const existing = new Set(fs.readdirSync(path.join(root, "services")));
    const free = (name: string) => {
      let n = name;
      for (let i = 2; existing.has(n); i++) n = `${name}-${i}`;
      return n;
    };
    const svc = free("orders-api");
    const job = free("nightly-report");
    const counted = /^(\d+) services, (\d+) environments: all specs are valid$/m.exec(msp("validate"));
    assert.ok(counted, "msp validate counts the fork's services");
    const before = { services: Number(counted[1]), environments: Number(counted[2]) };
    msp("init", svc, "--database", "postgres");
    // Production: a pinned tag, and the Notion page MSP requires of internal and external environments.
    msp("init-env", svc, "prod", "--category", "external", "--tag", "1.0.0", "--notion-page", NOTION_PAGE);
    const spec = path.join(root, "services", svc, "service.yaml");
    const doc = parseDocument(fs.readFileSync(spec, "utf8"));
    const dev = (doc.get("environments") as YAMLSeq<YAMLMap>).items.find((e) => e.get("id") === "dev")!;
    (dev.get("resources") as YAMLMap).set("redis", doc.createNode({ memoryGB: 1 }));
    fs.writeFileSync(spec, doc.toString());
    // A cron job in an internal production environment (prod's default category).
    msp("init", job, "--kind", "job", "--env", "prod", "--tag", "1.0.0", "--notion-page", NOTION_PAGE);
    assert.match(
      msp("validate"),
      new RegExp(
        `^${before.services + 2} services, ${before.environments + 3} environments: all specs are valid$`,
        "m",
      ),
    );

    // README step 2: the plan and the pages, committed with the spec.
    assert.match(msp("preview", `${svc}-dev`), /Policies: msp pack \(test\): 0 mandatory/);
    msp("docs", svc);
    msp("docs", job);
    for (const f of [`${svc}.md`, `${svc}-dev.svg`, `${svc}-prod.svg`, `${job}.md`])
      assert.ok(fs.existsSync(path.join(root, "docs", "services", f)), f);
    assert.match(fs.readFileSync(path.join(root, "docs", "services", "index.md"), "utf8"), new RegExp(job));

    // What CI runs on the pull request.
    // The main tier, with a longer per-test timeout than its 20 s: here it runs inside the e2e tier, both
    // tiers' processes on the same cores, and this test is about which services exist, not about speed.
    const main = run("npm", ["test", "--", "--timeout", "180000"]);
    assert.equal(main.status, 0, `npm test in the adopter's copy:\n${tail(main)}`);
    const e2e = run("npx", ["mocha", "--timeout", "600000", ...SERVICE_SET_E2E]);
    assert.equal(e2e.status, 0, `the service-set e2e files in the adopter's copy:\n${tail(e2e)}`);
    console.log(
      `      adopter: npm test ${main.seconds.toFixed(0)} s (${/\d+ passing/.exec(main.out)?.[0]}), ` +
        `e2e ${e2e.seconds.toFixed(0)} s (${/\d+ passing/.exec(e2e.out)?.[0]})`,
    );
  });
});
