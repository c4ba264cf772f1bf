/**
 * The mutation check: applies each deliberate breakage of test/mutation/mutants.ts to a copy of the
 * repository (the working tree is never touched), runs the test files named beside it, and reports whether
 * the tests failed ("killed") or passed ("survived"). Exit 1 when a mutant survives or does not apply.
 *
 *   npm run mutation                 every mutant
 *   npm run mutation -- 3 7          mutants 3 and 7 (1-based, as the report numbers them)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MUTANTS, type Mutant } from "./mutants";

const REPO = path.join(__dirname, "..", "..");

/** The committed and uncommitted sources, without node_modules (linked) or build output. */
function copyRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-mutants-"));
  const skip = new Set(["node_modules", ".git", "build", ".bench"]);
  fs.cpSync(REPO, dir, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

type Outcome = "killed" | "survived" | "does not apply";

function check(dir: string, m: Mutant): { outcome: Outcome; seconds: number } {
  const file = path.join(dir, m.file);
  const original = fs.readFileSync(file, "utf8");
  if (original.split(m.from).length !== 2) return { outcome: "does not apply", seconds: 0 };
  fs.writeFileSync(file, original.replace(m.from, m.to));
  const start = process.hrtime.bigint();
  try {
    const r = spawnSync(
      process.execPath,
      [path.join(dir, "node_modules", "mocha", "bin", "mocha.js"), "--bail", "--reporter", "dot", ...m.tests],
      { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    return {
      outcome: r.status === 0 ? "survived" : "killed",
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
    };
  } finally {
    fs.writeFileSync(file, original);
  }
}

function main(): void {
  const picked = process.argv.slice(2).map(Number);
  const dir = copyRepository();
  let bad = 0;
  try {
    MUTANTS.forEach((m, i) => {
      if (picked.length && !picked.includes(i + 1)) return;
      const { outcome, seconds } = check(dir, m);
      if (outcome !== "killed") bad++;
      console.log(
        `${String(i + 1).padStart(2)}. ${outcome.padEnd(14)} ${seconds.toFixed(1).padStart(5)} s  ${m.file}: ${m.what}`,
      );
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const total = picked.length || MUTANTS.length;
  console.log(`${total - bad} of ${total} mutants killed`);
  process.exitCode = bad ? 1 : 0;
}

main();
