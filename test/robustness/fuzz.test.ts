/**
 * Fuzzing (issue 13): thousands of mutated example specs (text edits, YAML-hostile snippets, explicit tags,
 * replaced values, template typos, random bytes, huge values) go through the loader in-process, and a small
 * sample through the real `msp validate`. Whatever the input: the outcome is exit code 0, 1 or 2 (in-process:
 * a result, a `SpecError` or an `UnreadableInputError`, nothing else), no stack trace, and each case stays
 * within a time and memory bound that is independent of its size (a hang or a quadratic blow-up exceeds it).
 *
 * `npm test` runs a share of the property cases (MSP_FUZZ_CASES, default 1,000 of the full 5,013; the large
 * generated shapes always all 13) with a fixed seed, in a few seconds; `npm run test:e2e` (so CI) runs all
 * 5,013 with the same seed. The full run with another seed each time (fast-check prints the seed and path of a
 * failure to replay it):
 *   MSP_FUZZ_CASES=5013 MSP_FUZZ_SEED=$RANDOM npx mocha test/robustness/fuzz.test.ts
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { parseServiceSpec, SpecError, UnreadableInputError } from "../../servicespec/loader";
import { buildOnce, REPO } from "../helpers/cli";
import { replaceNode } from "../helpers/mutate";
import { SHAPES } from "./bench-loader";

const EXAMPLE_IDS = ["accounts", "cody-analytics", "pings", "releaseregistry", "usage-exporter"] as const;
/** Per case, whatever its size: far above a linear loader's worst case (about 1 s for 1 MiB), far below a hang. */
const CASE_BOUND_MS = 10_000;
const CASE_HEAP_BOUND_BYTES = 512 * 1024 * 1024;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const SEED = Number(process.env.MSP_FUZZ_SEED ?? process.env.FUZZ_SEED ?? 13);
/** Property cases of this run, shared out in proportion to each property's full count (5,013 in all). */
const TOTAL_CASES = Number(process.env.MSP_FUZZ_CASES ?? 1000);

let services: string;
const texts: Record<string, string> = {};
const values: Record<string, unknown> = {};

/** Exit code the CLI gives for the in-process outcome; throws (failing the case) for any other exception. */
function runInProcess(id: string, bytes: Uint8Array): 0 | 1 | 2 {
  const file = path.join(services, id, "service.yaml");
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  let code: 0 | 1 | 2 = 0;
  try {
    parseServiceSpec(file, bytes, services);
  } catch (e) {
    if (e instanceof UnreadableInputError) code = 2;
    else if (e instanceof SpecError) {
      code = e.unreadable ? 2 : 1;
      assert.ok(e.issues.length > 0 && e.issues.length <= 201, `${e.issues.length} issues`);
      for (const i of e.issues) {
        assert.ok(i.line >= 1 && i.col >= 1, `position ${i.line}:${i.col}`);
        assert.ok(
          i.message.length > 0 && i.message.length <= 301,
          `message of ${i.message.length} characters`,
        );
        assert.ok(i.field.length <= 201, `field of ${i.field.length} characters`);
      }
      assert.doesNotMatch(e.message, STACK_FRAME);
    } else throw e;
  }
  const ms = performance.now() - start;
  assert.ok(ms < CASE_BOUND_MS, `case took ${Math.round(ms)} ms`);
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(grown < CASE_HEAP_BOUND_BYTES, `heap grew by ${Math.round(grown / 1048576)} MiB`);
  return code;
}

const enc = new TextEncoder();
const exampleId = fc.constantFrom(...EXAMPLE_IDS);

/** Snippets that stress a YAML parser or the loader: syntax edge cases, tags, templates, control characters. */
const HOSTILE_SNIPPETS = [
  '"',
  "'",
  "{",
  "[",
  "]",
  "}",
  ": ",
  "- ",
  "? ",
  "&a ",
  "*a",
  "*nope",
  "<<: *a\n",
  "!!binary aGVsbG8=",
  "!!timestamp 2001-12-14",
  "!!set {a, b}",
  "!!omap [a: 1]",
  "!!float",
  "!custom x",
  "%YAML 1.1\n---\n",
  "---\n",
  "...\n",
  "\t",
  "\r\n",
  "\u0000",
  "\uFEFF",
  "\u2028",
  "#",
  "|\n  block\n",
  ">-\n  folded\n",
  '"{{ .ProjectId }}"',
  "{{ .ServiceDnsName }}",
  "{{",
  "}}",
  "{{ printf }}",
  "0x1F",
  ".inf",
  "~",
  "null",
  "1e999",
  "x".repeat(5000),
  "[".repeat(2000),
  "- ".repeat(500),
  "a: &x [1]\nb: [*x, *x, *x]\n",
  "../../../etc/passwd",
];

/** A text edit at a random place: insert, delete, duplicate a line, change indentation, truncate. */
const textMutation = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    snippet: fc.constantFrom(...HOSTILE_SNIPPETS),
  }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), snippet: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), at: fc.nat(), by: fc.integer({ min: -4, max: 6 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, m: TextMutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case "insert":
      return text.slice(0, at) + m.snippet + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "truncate":
      return text.slice(0, at);
    case "duplicate-line":
    case "indent": {
      const lines = text.split("\n");
      const i = m.at % lines.length;
      if (m.kind === "duplicate-line") lines.splice(i, 0, lines[i]!);
      else lines[i] = m.by >= 0 ? " ".repeat(m.by) + lines[i] : lines[i]!.slice(-m.by);
      return lines.join("\n");
    }
  }
}

/** Values to put in place of a node of the parsed spec. */
const replacement = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      "",
      "x".repeat(100_000),
      "{{ .ProjectId }}",
      "{{ .ServiceDnsName }}{{",
      -1,
      2 ** 53,
      1e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date(0),
      new Uint8Array([1, 2, 3]),
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
      Array.from({ length: 300 }, (_, i) => i),
      { "": null },
      { __proto__: { polluted: true } },
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ),
  },
);

/** Property runs of the full run: 5,013 in-process cases in all, with the two single cases below. */
const CASES: Record<string, { runs: number; always?: true; check: (numRuns: number, seed: number) => void }> =
  {
    "text edits (1 to 4)": {
      runs: 2000,
      check: (numRuns, seed) =>
        fc.assert(
          fc.property(exampleId, fc.array(textMutation, { minLength: 1, maxLength: 4 }), (id, ms) => {
            runInProcess(id, enc.encode(ms.reduce(applyText, texts[id]!)));
          }),
          { numRuns, seed },
        ),
    },
    "replaced or removed values": {
      runs: 1300,
      check: (numRuns, seed) =>
        fc.assert(
          fc.property(exampleId, fc.nat(), replacement, fc.boolean(), (id, idx, value, remove) => {
            runInProcess(id, enc.encode(stringify(replaceNode(values[id], idx, value, remove))));
          }),
          { numRuns, seed },
        ),
    },
    "env template variables": {
      runs: 500,
      check: (numRuns, seed) =>
        fc.assert(
          fc.property(
            fc.string({ maxLength: 30 }),
            fc.constantFrom("{{ .", "{{.", "{{ ", "{{"),
            (name, open) => {
              const value = JSON.stringify(`${open}${name} }}`);
              const spec = texts.releaseregistry!.replace("SRC_LOG_LEVEL: info", `SRC_LOG_LEVEL: ${value}`);
              runInProcess("releaseregistry", enc.encode(spec));
            },
          ),
          { numRuns, seed },
        ),
    },
    "random bytes spliced in": {
      runs: 1200,
      check: (numRuns, seed) =>
        fc.assert(
          fc.property(
            exampleId,
            fc.nat(),
            fc.uint8Array({ minLength: 1, maxLength: 64 }),
            (id, at, bytes) => {
              const base = enc.encode(texts[id]);
              const i = at % (base.length + 1);
              runInProcess(id, new Uint8Array([...base.subarray(0, i), ...bytes, ...base.subarray(i)]));
            },
          ),
          { numRuns, seed },
        ),
    },
    "large generated shapes": {
      runs: 13,
      always: true, // every shape, whatever the share
      check: (numRuns, seed) =>
        fc.assert(
          fc.property(
            fc.constantFrom(...Object.keys(SHAPES)),
            fc.integer({ min: 1, max: 2_000 }),
            (shape, n) => {
              runInProcess("pings", enc.encode(SHAPES[shape]!(n)));
            },
          ),
          { numRuns, seed },
        ),
    },
  };

/**
 * Hook for mutated stack exports: engine/read-export.ts (owned by the delivery work) guards export reading; its
 * fuzz cases go here, as an arbitrary of export file contents and a function that reads one in-process and
 * returns the exit code (2 for a `StackExportError`). None yet: until it returns cases, only specs are fuzzed.
 */
export function exportFuzzCases(): {
  arbitrary: fc.Arbitrary<Uint8Array>;
  run: (bytes: Uint8Array) => 0 | 1 | 2;
}[] {
  return [];
}

describe("fuzzing the loader and msp validate (issue 13)", function () {
  // The default run takes a few seconds, the full run 10-20 s on a busy 2-core machine; the limit guards
  // against hangs only.
  this.timeout(300_000);

  before(() => {
    services = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-fuzz-")), "services");
    fs.cpSync(path.join(REPO, "services"), services, { recursive: true });
    for (const id of EXAMPLE_IDS) {
      texts[id] = fs.readFileSync(path.join(services, id, "service.yaml"), "utf8");
      values[id] = parse(texts[id]);
    }
  });
  after(() => fs.rmSync(path.dirname(services), { recursive: true, force: true }));

  it("the unmutated examples load (the mutations start from valid specs)", () => {
    for (const id of EXAMPLE_IDS) assert.equal(runInProcess(id, enc.encode(texts[id])), 0, id);
  });

  it("20,000 unknown keys (the quadratic case of the issue: 67 s before) stay within the per-case bound", () => {
    // Past the token cap (servicespec/yaml-document.ts): refused where the cap is crossed.
    assert.equal(runInProcess("pings", enc.encode(SHAPES["unknown keys under service"]!(20_000))), 1);
    // Just under it: every key is parsed and checked, the first 200 listed.
    assert.equal(runInProcess("pings", enc.encode(SHAPES["unknown keys under service"]!(6_500))), 1);
  });

  const fullRun = Object.values(CASES).reduce((n, c) => n + c.runs, 0);
  it("MSP_FUZZ_CASES and MSP_FUZZ_SEED are numbers", () => {
    assert.equal(fullRun, 5013, "the full run the header documents");
    assert.ok(Number.isInteger(TOTAL_CASES) && TOTAL_CASES > 0, `MSP_FUZZ_CASES: ${TOTAL_CASES}`);
    assert.ok(Number.isInteger(SEED), `MSP_FUZZ_SEED: ${SEED}`);
  });
  for (const [name, c] of Object.entries(CASES)) {
    const runs = c.always ? c.runs : Math.max(1, Math.round((c.runs * TOTAL_CASES) / fullRun));
    it(`${name}: ${runs} cases (seed ${SEED}), exit 0/1/2, bounded`, () => {
      c.check(runs, SEED + name.length);
    });
  }

  for (const hook of exportFuzzCases())
    it("mutated stack exports: exit 0/1/2, bounded", () => {
      fc.assert(
        fc.property(hook.arbitrary, (bytes) => assert.ok([0, 1, 2].includes(hook.run(bytes)))),
        {
          numRuns: 1000,
        },
      );
    });

  it("a sample through the real msp validate: exit 0/1/2 as in-process, no stack trace, no hang", async () => {
    buildOnce();
    const sample = fc.sample(fc.tuple(exampleId, fc.array(textMutation, { minLength: 1, maxLength: 3 })), {
      numRuns: 4,
      seed: SEED,
    });
    const runs = sample.map(([id, ms], i) => {
      const dir = path.join(path.dirname(services), `cli-${i}`);
      fs.mkdirSync(dir);
      fs.cpSync(path.join(services, id), path.join(dir, id), { recursive: true });
      const text = ms.reduce(applyText, texts[id]!);
      fs.writeFileSync(path.join(dir, id, "service.yaml"), text);
      return { dir, expected: runInProcess(id, enc.encode(text)) };
    });
    // Two at a time: the machine has two cores.
    const results: { status: number | null; output: string }[] = [];
    for (let i = 0; i < runs.length; i += 2)
      results.push(...(await Promise.all(runs.slice(i, i + 2).map((r) => validate(r.dir)))));
    results.forEach((r, i) => {
      const expected = runs[i]!.expected;
      assert.ok(r.status !== null, `msp validate hung on case ${i}`);
      // validate reports every SpecError with exit 1; the CLI exits 2 only when nothing could be read.
      assert.ok(
        expected === 2 ? [1, 2].includes(r.status) : r.status === expected,
        `case ${i}: exit ${r.status}`,
      );
      assert.doesNotMatch(r.output, STACK_FRAME, `case ${i}`);
    });
  });
});

function validate(dir: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, "bin", "msp.js"), "validate", "--services", dir], {
      timeout: 60_000,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (status) => resolve({ status, output }));
  });
}
