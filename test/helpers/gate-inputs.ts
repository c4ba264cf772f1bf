/**
 * What the workflows' gates execute or read to reach their verdict, walked from the workflows themselves: every
 * `run:` script (the npm scripts it runs, `npx msp`, `pulumi`, `node`, and any repository path it names), every
 * `uses:` step (local actions and reusable workflows, and the repository files an external action is given or
 * loads), then what those load: the Pulumi project's program and its imports, the policy pack and its config,
 * the stack files, the `msp` bundle's entry points and their imports (bin/build.js's own esbuild options), the
 * type-checker's, linters' and test runner's configurations and inputs. Fail closed: a command or an action
 * this walk does not know is reported, so a new kind of step has to be classified here before the test passes.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseShell } from "shell-quote";
import { parse } from "yaml";
import type { Workflow } from "./workflow-runner";

interface PackageJson {
  scripts: Record<string, string>;
  bin: Record<string, string>;
}

export interface GateInputs {
  /** Repository files (relative, `/`-separated) the gates execute or read. */
  readonly files: ReadonlySet<string>;
  /** Why the walk added each root (for messages): file -> the step or rule that reached it. */
  readonly reasons: ReadonlyMap<string, string>;
  /** Commands or actions the walk does not know (each must be classified). */
  readonly unknown: readonly string[];
}

/**
 * External actions and the repository files they read: `pulumi/actions` runs the Pulumi program with the
 * pack and config it is given; setup-node's npm cache keys on the lockfile. The others read nothing of the
 * repository's that decides anything (checkout, the OIDC exchange, a SARIF upload of a file a step wrote).
 */
const ACTIONS: Record<string, (w: Record<string, unknown>) => string[]> = {
  "actions/checkout": () => [],
  "actions/setup-node": () => ["package-lock.json"],
  "google-github-actions/auth": () => [],
  "github/codeql-action/upload-sarif": () => [],
  // Uploads what a step wrote (the plan summary).
  "actions/upload-artifact": () => [],
  // Its script is inline in the workflow (.github/).
  "actions/github-script": () => [],
  "pulumi/actions": (w) => [
    ...(w.command ? ["@pulumi"] : []),
    ...(typeof w.policyPacks === "string" ? [`@pack:${w.policyPacks}`] : []),
    ...(typeof w.policyPackConfigs === "string" ? [w.policyPackConfigs] : []),
  ],
};

/** Tools and builtins that read no repository file to decide (their arguments are still checked as paths). */
const PLAIN_TOOLS = new Set([
  "git",
  "unzip",
  "jq",
  "gcloud",
  "gh",
  "curl",
  "echo",
  "printf",
  "cat",
  "tee",
  "rm",
  "mkdir",
  "cd",
  "test",
  "exit",
  "continue",
  "break",
  "read",
  "local",
  "set",
  "shift",
  "true",
  "false",
  "base64",
  "grep",
  "sed",
  "sort",
  "head",
  "tail",
  "wc",
  "date",
  "sleep",
  "[",
  "[[",
  ":",
]);

/** Config files each tool an npm script runs reads. */
const TOOL_CONFIG: Record<string, string[]> = {
  tsc: ["tsconfig.json", "@typescript"],
  eslint: ["eslint.config.mjs", "@typescript"],
  prettier: [".prettierrc.json", ".prettierignore"],
  mocha: [".mocharc.json"],
};

/** Shell keywords after which the next word is a command; `for`/`case` lists are not commands. */
const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "while",
  "until",
  "do",
  "done",
  "!",
  "{",
  "}",
  "esac",
]);
const LIST_KEYWORDS = new Set(["for", "case", "select"]);
/** Operators that take a file or word next (redirections): that word is not a command or an argument. */
const REDIRECTIONS = new Set([">", ">>", "<", "<<<", ">&", "<&", "<(", "&>"]);

/**
 * The simple commands of a script, each as its words (assignments, redirections and keywords dropped), by
 * shell-quote's tokenizer (quotes, operators, comments), one line at a time as bash reads a script.
 */
export function commandsOf(script: string): string[][] {
  const commands: string[][] = [];
  for (const line of script.split("\n")) {
    let words: string[] = [];
    let skipNext = false;
    let skipList = false;
    let pendingArray = false;
    let arrayAssignment = false;
    const end = () => {
      if (words.length) commands.push(words);
      words = [];
      skipList = false;
    };
    for (const token of parseShell(line, (name) => `$${name}`)) {
      if (typeof token === "object") {
        if ("comment" in token) break;
        const op = (token as { op: string }).op;
        if (arrayAssignment) {
          // `name=(...)`: the words of an array assignment, up to its `)`.
          if (op === ")") arrayAssignment = false;
          continue;
        }
        if (op === "(" && pendingArray) {
          arrayAssignment = true;
          continue;
        }
        if (REDIRECTIONS.has(op)) skipNext = true;
        else end();
        continue;
      }
      pendingArray = false;
      if (arrayAssignment) continue;
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (skipList) continue;
      if (words.length === 0 && KEYWORDS.has(token)) continue;
      if (words.length === 0 && LIST_KEYWORDS.has(token)) {
        skipList = true;
        continue;
      }
      // `VAR=value cmd` and `x=$(...)`: an assignment, not a command; `x=(` starts an array.
      if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(token)) {
        pendingArray = token.endsWith("=");
        continue;
      }
      // A file descriptor before a redirection (`2>&1`).
      if (words.length === 0 && /^\d+$/.test(token)) continue;
      words.push(token);
    }
    end();
  }
  return commands;
}

const git = (repo: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8" }).split("\n").filter(Boolean);

/**
 * The repository's own files each entry point imports (transitively), by esbuild's resolution: one build for
 * every entry at once (a build costs about a second).
 */
function importGraphs(repo: string, entries: readonly string[]): Map<string, string[]> {
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = esbuild.buildSync({
    absWorkingDir: repo,
    entryPoints: Object.fromEntries(entries.map((e, i) => [`entry-${i}`, path.join(repo, e)])),
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    metafile: true,
    write: false,
    outdir: path.join(repo, "build", ".gate-inputs"),
    logLevel: "silent",
  });
  const graphs = new Map<string, string[]>();
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const index = /entry-(\d+)\.js$/.exec(out)?.[1];
    if (index === undefined) continue;
    graphs.set(
      entries[Number(index)]!,
      Object.keys(meta.inputs).filter((p) => !p.includes("node_modules/")),
    );
  }
  return graphs;
}

/** The `msp` bundle's entry points (bin/build.js's own table). */
function bundleEntries(repo: string): string[] {
  return Object.values(
    (require(path.join(repo, "bin", "build.js")) as { ENTRIES: Record<string, string> }).ENTRIES,
  );
}

export function gateInputs(repo: string): GateInputs {
  const files = new Set<string>();
  const reasons = new Map<string, string>();
  const unknown: string[] = [];
  const tracked = new Set(git(repo, "ls-files"));
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as PackageJson;
  const add = (file: string, why: string) => {
    const rel = file.replace(/^\.\//, "").replace(/\/$/, "");
    if (!reasons.has(rel)) reasons.set(rel, why);
    if (tracked.has(rel)) files.add(rel);
    else for (const t of tracked) if (t.startsWith(`${rel}/`)) files.add(t);
  };
  /** A word that names a repository file or folder (up to a `$` expansion: the folder it is in). */
  const addPath = (word: string, why: string) => {
    let p = word.replace(/^["']|["']$/g, "");
    if (p.includes("$")) p = p.slice(0, p.indexOf("$")).replace(/[^/]*$/, "");
    p = p.replace(/^\.\//, "").replace(/\/$/, "");
    if (!/^[\w.][\w./-]*$/.test(p) || p === "." || p.startsWith("..")) return;
    if (tracked.has(p) || [...tracked].some((t) => t.startsWith(`${p}/`))) add(p, why);
  };
  /** Entry points whose imports are added at the end (one esbuild build), with why each was reached. */
  const entries = new Map<string, string>();
  const imports = (files: readonly string[], why: string) => {
    for (const f of files) if (!entries.has(f)) entries.set(f, why);
  };
  const seenRoots = new Set<string>();
  /** What a root (a command's effect, `@` names) loads. */
  const expand = (root: string, why: string): void => {
    if (seenRoots.has(root)) return;
    seenRoots.add(root);
    switch (root) {
      case "@npm-ci":
        add("package.json", why);
        add("package-lock.json", why);
        for (const s of ["preinstall", "install", "postinstall", "prepare"])
          if (pkg.scripts[s]) runScript(pkg.scripts[s], `${why} (npm script ${s})`);
        return;
      case "@msp": {
        // bin/msp.js and what it requires before the bundle, the bundle's sources, and the data it decides on.
        for (const bin of Object.values(pkg.bin)) add(bin, why);
        imports(["bin/msp.js", ...bundleEntries(repo)], why);
        add("bin/build.js", why);
        expand("@pulumi-project", why);
        add("policy/config", why);
        return;
      }
      case "@pulumi": {
        // Pulumi.yaml's program (run through tsx: tsconfig.json), the stack files, the project settings.
        expand("@pulumi-project", why);
        const project = parse(fs.readFileSync(path.join(repo, "Pulumi.yaml"), "utf8")) as { main?: string };
        imports([project.main ?? "index.ts"], why);
        add("tsconfig.json", why);
        return;
      }
      case "@pulumi-project": {
        add("Pulumi.yaml", why);
        const project = parse(fs.readFileSync(path.join(repo, "Pulumi.yaml"), "utf8")) as {
          stackConfigDir?: string;
        };
        add(project.stackConfigDir ?? ".", why);
        // A service's own resources: code the stack program loads by path (program/service-resources.ts).
        for (const f of tracked) if (/^services\/[^/]+\/resources\.ts$/.test(f)) add(f, why);
        return;
      }
      case "@typescript":
        add("tsconfig.json", why);
        for (const f of tracked) if (f.endsWith(".ts")) add(f, why);
        return;
    }
    if (root.startsWith("@pack:")) {
      // A policy pack: its project file, package.json's main and what that loads.
      const dir = root.slice("@pack:".length);
      add(`${dir}/PulumiPolicy.yaml`, why);
      add(`${dir}/package.json`, why);
      const main = (
        JSON.parse(fs.readFileSync(path.join(repo, dir, "package.json"), "utf8")) as { main?: string }
      ).main;
      const entry = path.posix.join(dir, main ?? "index.js");
      add(entry, why);
      imports([entry, path.posix.join(dir, "index.ts")], why);
      return;
    }
    unknown.push(`${why}: ${root}`);
  };

  /** One npm script or run: block: the commands it runs, and the repository paths it names. */
  const runScript = (script: string, why: string): void => {
    for (const words of commandsOf(script)) {
      const [cmd, sub, arg] = words;
      if (!cmd) continue;
      if (cmd === "npm" && sub === "ci") expand("@npm-ci", why);
      else if (cmd === "npm" && (sub === "test" || sub === "run")) {
        const name = sub === "test" ? "test" : arg!;
        const body = pkg.scripts[name];
        if (body === undefined) unknown.push(`${why}: npm run ${name} (no such script)`);
        else {
          add("package.json", why);
          runScript(body, `${why} (npm script ${name})`);
        }
      } else if (cmd === "npx" && sub === "msp") expand("@msp", why);
      else if (cmd === "npx" || cmd === "npm") unknown.push(`${why}: ${cmd} ${sub ?? ""}`);
      else if (cmd === "pulumi") {
        expand("@pulumi", why);
        const pack = words.indexOf("--policy-pack");
        if (pack >= 0) expand(`@pack:${words[pack + 1]}`, why);
      } else if (cmd === "node" || cmd === "bash" || cmd === "sh") {
        add(sub!, why);
        if (sub === "bin/build.js") imports(bundleEntries(repo), why);
        else if (cmd === "node") imports([sub!], why);
      } else if (TOOL_CONFIG[cmd]) {
        for (const c of TOOL_CONFIG[cmd])
          if (c.startsWith("@")) expand(c, why);
          else add(c, why);
        // A spec glob of mocha: the folder it walks (test files, helpers, fixtures).
        if (cmd === "mocha")
          for (const w of words.slice(1).filter((x) => !x.startsWith("-")))
            if (fs.existsSync(path.join(repo, w.split("/")[0]!))) add(w.split("/")[0]!, why);
      } else if (/^\.?\.?\//.test(cmd) || tracked.has(cmd)) add(cmd, why);
      else if (!PLAIN_TOOLS.has(cmd)) unknown.push(`${why}: ${cmd}`);
      // Any other word naming a repository file or folder is read by the command (`policy/config/$C.json`:
      // the folder).
      for (const w of words.slice(1)) addPath(w, why);
    }
  };

  const workflowDir = path.join(repo, ".github", "workflows");
  add(".github", "the workflows, their local actions and CODEOWNERS");
  for (const file of fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f))) {
    const wf = parse(fs.readFileSync(path.join(workflowDir, file), "utf8")) as Workflow;
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (job.uses) add(job.uses, `${file} ${jobId}`);
      for (const step of job.steps ?? []) {
        const why = `${file} ${jobId}: ${step.name ?? step.run?.split("\n")[0] ?? step.uses}`;
        if (step.run !== undefined) runScript(step.run, why);
        if (step.uses?.startsWith("./")) add(step.uses, why);
        else if (step.uses) {
          const action = step.uses.split("@")[0]!;
          const reads = ACTIONS[action];
          if (!reads) unknown.push(`${why}: action ${action}`);
          else
            for (const r of reads(step.with ?? {}))
              if (r.startsWith("@")) expand(r, why);
              else addPath(r, why);
        }
      }
    }
  }
  for (const [entry, graph] of importGraphs(repo, [...entries.keys()]))
    for (const f of graph) add(f, entries.get(entry)!);
  return { files, reasons, unknown };
}
