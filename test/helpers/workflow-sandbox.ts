/**
 * A throw-away world for running workflow jobs: a git "origin" (bare repository) holding a copy of the files
 * the msp command needs, clones of it as job workspaces, and fake `npm`, `npx`, `pulumi` and `gcloud` commands first on
 * PATH. `npm ci` links this repository's node_modules and copies its CLI bundle (what `npm ci`'s prepare
 * script builds); `npx msp` runs the workspace's own bin/msp.js, so a base-branch worktree runs the base's
 * specs and stack files; `pulumi` records its arguments.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildOnce, REPO } from "./cli";

/**
 * The repository files a workspace needs for `msp affected`, `preview`, `diff` and `policy check`, from where
 * the seed takes them: the platform's own, and the tests' fleet (test/fixtures/fleet) as `services/` and
 * `stacks/`, so that the workflow tests' stacks and edits stay what they are whatever services/ holds.
 */
const SEED_PATHS: Record<string, string> = {
  services: "test/fixtures/fleet/services",
  stacks: "test/fixtures/fleet/stacks",
  "Pulumi.yaml": "Pulumi.yaml",
  "policy/config": "policy/config",
  bin: "bin",
  // bin/msp.js starts through the SDK room's start-up helpers (plain JavaScript, loaded before the bundle).
  "pulumi-sdk": "pulumi-sdk",
  "package.json": "package.json",
};

const NPM = `#!/usr/bin/env bash
set -euo pipefail
echo "npm $*" >> "$FAKE_LOG"
case "$1" in
  ci)
    [ -e node_modules ] || ln -s "$MSP_REPO/node_modules" node_modules
    mkdir -p build
    cp "$MSP_REPO/build/msp.js" "$MSP_REPO/build/fleet-worker.js" build/
    ;;
  test) ;;
  run) case "$2" in check | test:e2e) ;; *) echo "fake npm: unexpected: npm $*" >&2; exit 2 ;; esac ;;
  *) echo "fake npm: unexpected: npm $*" >&2; exit 2 ;;
esac
`;

// Another change adds \`--format sarif\` to msp validate and msp policy check: the fake answers for them with
// an empty SARIF log, so these tests do not depend on it.
const NPX = `#!/usr/bin/env bash
set -euo pipefail
echo "npx $*" >> "$FAKE_LOG"
[ "\${1:-}" = msp ] || { echo "fake npx: only msp is expected, not $*" >&2; exit 2; }
shift
if [[ " $* " == *" --format sarif "* ]]; then printf '%s\\n' '{"version":"2.1.0","runs":[]}'; exit 0; fi
exec node bin/msp.js "$@"
`;

const PULUMI = `#!/usr/bin/env node
// Fake pulumi: records its arguments; FAKE_PULUMI_FAIL="command:stack,..." makes those invocations fail.
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify({ args, cwd: process.cwd(), token: !!process.env.PULUMI_ACCESS_TOKEN }) + "\\n");
const i = args.findIndex((a) => a === "--stack" || a === "-s");
const stack = i >= 0 ? args[i + 1] : args[2];
const command = args[0] === "stack" ? "stack " + args[1] : args[0];
if ((process.env.FAKE_PULUMI_FAIL || "").split(",").includes(command + ":" + stack)) {
  console.error("error: " + command + " failed for " + stack + " (fake)");
  process.exit(1);
}
if (command === "stack export") {
  const f = require("node:path").join(process.env.FAKE_PULUMI_EXPORTS || "/nonexistent", stack + ".json");
  process.stdout.write(fs.existsSync(f) ? fs.readFileSync(f, "utf8") : '{"version":3,"deployment":{"resources":[]}}');
}
`;

// Fake curl (the deploy's Slack announcement): records its arguments, the headers it reads from stdin (-H @-)
// and the body of --data @file in FAKE_CURL_LOG, and answers as Slack's chat.postMessage does.
const CURL = `#!/usr/bin/env bash
{
  echo "args: $*"
  cat
  prev=""
  for a in "$@"; do
    if [ "$prev" = "--data" ]; then echo "data: $(cat "\${a#@}")"; fi
    prev="$a"
  done
} >> "\${FAKE_CURL_LOG:?}"
echo '{"ok":true}'
`;

// Fake gcloud: answers `gcloud secrets versions describe` from FAKE_GCLOUD_SECRET_VERSIONS ("<project>/<secret>,...").
const GCLOUD = `#!/usr/bin/env bash
set -euo pipefail
echo "gcloud $*" >> "$FAKE_LOG"
if [ "\${1:-} \${2:-} \${3:-}" = "secrets versions describe" ]; then
  p=; s=
  for a in "$@"; do case "$a" in --secret=*) s="\${a#--secret=}" ;; --project=*) p="\${a#--project=}" ;; esac; done
  if [[ ",\${FAKE_GCLOUD_SECRET_VERSIONS:-}," == *",$p/$s,"* ]]; then echo "projects/$p/secrets/$s/versions/1"; exit 0; fi
  echo "ERROR: (gcloud.secrets.versions.describe) NOT_FOUND" >&2
  exit 1
fi
echo "fake gcloud: unexpected: gcloud $*" >&2
exit 2
`;

export interface PulumiCall {
  args: string[];
  /** Where it ran: the job's workspace. */
  cwd: string;
  /** Whether PULUMI_ACCESS_TOKEN was set. */
  token: boolean;
}

export interface Sandbox {
  root: string;
  origin: string;
  env: Record<string, string>;
  pulumiLog: string;
  commandLog: string;
  /** Commits `changes` (path -> new text, or null to delete) on `branch` (created from `from`), pushes it. */
  commit(branch: string, changes: Record<string, string | null>, message: string, from?: string): string;
  /** Reads a file of the seed at a ref. */
  read(ref: string, file: string): string;
  /** A fresh clone of origin at `ref`, like actions/checkout with fetch-depth 0. */
  workspace(name: string, ref: string): string;
  git(cwd: string, ...args: string[]): string;
  /** The pulumi invocations recorded since the last call. */
  /** The pulumi invocations recorded, in order. */
  pulumiCalls(): PulumiCall[];
  cleanup(): void;
}

export function createSandbox(): Sandbox {
  buildOnce();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-workflows-"));
  const shims = path.join(root, "bin");
  fs.mkdirSync(shims);
  for (const [name, text] of Object.entries({
    npm: NPM,
    npx: NPX,
    pulumi: PULUMI,
    gcloud: GCLOUD,
    curl: CURL,
  }))
    fs.writeFileSync(path.join(shims, name), text, { mode: 0o755 });
  const pulumiLog = path.join(root, "pulumi.log");
  const commandLog = path.join(root, "commands.log");
  fs.writeFileSync(pulumiLog, "");
  const env: Record<string, string> = {
    PATH: [shims, path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: path.join(root, "home"),
    LANG: "C.UTF-8",
    MSP_REPO: REPO,
    FAKE_LOG: commandLog,
    FAKE_PULUMI_LOG: pulumiLog,
    FAKE_CURL_LOG: path.join(root, "curl.log"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "msp test",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "msp test",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
    NO_COLOR: "1",
  };
  fs.mkdirSync(env.HOME!);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

  const seed = path.join(root, "seed");
  fs.mkdirSync(seed);
  for (const [to, from] of Object.entries(SEED_PATHS))
    fs.cpSync(path.join(REPO, from), path.join(seed, to), { recursive: true });
  fs.writeFileSync(path.join(seed, ".gitignore"), "node_modules\nbuild/\n");
  git(seed, "init", "-q", "-b", "main");
  git(seed, "add", "-A");
  git(seed, "commit", "-q", "-m", "seed");
  const origin = path.join(root, "origin.git");
  git(root, "clone", "-q", "--bare", seed, origin);
  git(seed, "remote", "add", "origin", origin);
  git(seed, "fetch", "-q", "origin");

  return {
    root,
    origin,
    env,
    pulumiLog,
    commandLog,
    git,
    commit(branch, changes, message, from = "main") {
      const exists = git(seed, "branch", "--list", branch) !== "";
      git(seed, "checkout", "-q", ...(exists ? [branch] : ["-b", branch, from]));
      for (const [file, text] of Object.entries(changes)) {
        const p = path.join(seed, file);
        if (text === null) fs.rmSync(p, { recursive: true, force: true });
        else {
          fs.mkdirSync(path.dirname(p), { recursive: true });
          fs.writeFileSync(p, text);
        }
      }
      git(seed, "add", "-A");
      git(seed, "commit", "-q", "-m", message);
      git(seed, "push", "-q", "origin", branch);
      return git(seed, "rev-parse", "HEAD");
    },
    read(ref, file) {
      return git(seed, "show", `${ref}:${file}`);
    },
    workspace(name, ref) {
      const dir = path.join(root, name, "ws");
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      git(root, "clone", "-q", origin, dir);
      git(dir, "checkout", "-q", "--detach", ref);
      return dir;
    },
    pulumiCalls() {
      return fs
        .readFileSync(pulumiLog, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as PulumiCall);
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
