/**
 * Issue 13, in-process: what the loader does with hostile or broken input (one test per row of the issue's
 * table that the loader owns; the CLI side is in test/cli/hostile-input.test.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  loadService,
  loadServices,
  parseServiceSpec,
  SpecError,
  UnreadableInputError,
  type SpecIssue,
} from "../../servicespec/loader";
import { platformSettingsFor } from "../../program/config";
import { REPO } from "../helpers/cli";

const EXAMPLES = path.join(REPO, "services");
const example = (id: string) => fs.readFileSync(path.join(EXAMPLES, id, "service.yaml"), "utf8");

/** A temporary services folder holding copies of the given example services. */
function servicesWith(...ids: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-hostile-"));
  const services = path.join(dir, "services");
  fs.mkdirSync(services);
  for (const id of ids) fs.cpSync(path.join(EXAMPLES, id), path.join(services, id), { recursive: true });
  return services;
}

function issuesOf(f: () => unknown): SpecIssue[] {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  assert.fail("expected a SpecError");
}

const parse = (text: string) => () =>
  parseServiceSpec(path.join(EXAMPLES, "pings", "service.yaml"), new TextEncoder().encode(text));

describe("hostile input: files (issue 13)", () => {
  it("a service.yaml symlinked to /dev/zero is refused, not read", () => {
    const dir = servicesWith("pings");
    fs.rmSync(path.join(dir, "pings", "service.yaml"));
    fs.symlinkSync("/dev/zero", path.join(dir, "pings", "service.yaml"));
    const [issue] = issuesOf(() => loadServices(dir));
    assert.match(issue!.message, /symlink to \/dev\/zero, outside .*: refused/);
    assert.equal(issue!.unreadable, true);
  });

  it("a table schema symlinked to /dev/zero is refused, not read", () => {
    const dir = servicesWith("usage-exporter");
    const schema = path.join(dir, "usage-exporter", "usage_events.bigquerytable.json");
    fs.rmSync(schema);
    fs.symlinkSync("/dev/zero", schema);
    const issues = issuesOf(() => loadService(dir, "usage-exporter"));
    assert.ok(
      issues.some((i) => /usage_events\.bigquerytable\.json is a symlink to \/dev\/zero/.test(i.message)),
      issues.map((i) => i.message).join("\n"),
    );
  });

  it("a spec larger than 1 MiB is refused before it is parsed", () => {
    const dir = servicesWith("pings");
    fs.writeFileSync(path.join(dir, "pings", "service.yaml"), "#".repeat(1024 * 1024 + 1));
    const [issue] = issuesOf(() => loadServices(dir));
    assert.match(issue!.message, /the limit is 1 MiB/);
  });

  it("a service folder symlinked outside the services folder is refused", () => {
    const dir = servicesWith();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "msp-elsewhere-"));
    fs.cpSync(path.join(EXAMPLES, "pings"), path.join(elsewhere, "pings"), { recursive: true });
    fs.symlinkSync(path.join(elsewhere, "pings"), path.join(dir, "pings"));
    const [issue] = issuesOf(() => loadServices(dir));
    assert.match(issue!.message, /is a symlink to .*msp-elsewhere-.*outside .*: refused/);
    // A symlink that stays inside the tree is fine.
    const inside = servicesWith("pings");
    fs.renameSync(path.join(inside, "pings"), path.join(inside, "real-pings"));
    fs.symlinkSync("real-pings", path.join(inside, "pings"));
    assert.equal(loadService(inside, "pings").spec.service.id, "pings");
  });

  it("an ID such as ../x/svc cannot lead the loader out of the services folder", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-escape-"));
    fs.mkdirSync(path.join(root, "services"));
    fs.cpSync(path.join(EXAMPLES, "pings"), path.join(root, "x", "pings"), { recursive: true });
    const [issue] = issuesOf(() => loadService(path.join(root, "services"), "../x/pings"));
    assert.match(issue!.message, /outside .*: refused/);
  });

  it("a schema file symlinked to /etc/passwd, or holding secrets, is never echoed", () => {
    const dir = servicesWith("usage-exporter");
    const schema = path.join(dir, "usage-exporter", "usage_events.bigquerytable.json");
    fs.rmSync(schema);
    fs.symlinkSync("/etc/passwd", schema);
    const passwd = issuesOf(() => loadService(dir, "usage-exporter"));
    assert.doesNotMatch(passwd.map((i) => i.message).join("\n"), /root:|\/bin\//);
    // An ordinary file in the tree that is not JSON: the position is reported, not the content.
    fs.rmSync(schema);
    fs.writeFileSync(schema, '[\n  {"name": "a", "type": "STRING"}\n  password=hunter2\n]\n');
    const [bad] = issuesOf(() => loadService(dir, "usage-exporter")).filter((i) =>
      /not valid JSON/.test(i.message),
    );
    assert.match(bad!.message, /usage_events\.bigquerytable\.json is not valid JSON \(line 3, column 3: /);
    assert.doesNotMatch(bad!.message, /hunter2|password/);
    // V8 gives no position for an unexpected token (a trailing comma): still line and column.
    fs.writeFileSync(schema, '[\n  {"name": "a", "type": "STRING"},\n]\n');
    const [comma] = issuesOf(() => loadService(dir, "usage-exporter")).filter((i) =>
      /not valid JSON/.test(i.message),
    );
    assert.match(comma!.message, /is not valid JSON \(line 3, column 1: value expected\)/);
    fs.writeFileSync(schema, `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const [deep] = issuesOf(() => loadService(dir, "usage-exporter")).filter((i) =>
      /usage_events/.test(i.message),
    );
    assert.match(deep!.message, /nested more than 64 levels deep/);
  });
});

describe("hostile input: the services folder (issue 13)", () => {
  it("an empty or missing services folder is unreadable input, not '0 services, all valid'", () => {
    assert.throws(() => loadServices(servicesWith()), UnreadableInputError);
    assert.throws(
      () => loadServices(path.join(os.tmpdir(), "msp-no-such-folder")),
      /services folder .* not found/,
    );
    const file = path.join(servicesWith("pings"), "pings", "service.yaml");
    assert.throws(() => loadServices(file), /is not a folder/);
  });

  it("a service.yml is an error at that file, a stray file a warning", () => {
    const dir = servicesWith("pings");
    fs.mkdirSync(path.join(dir, "accounts"));
    fs.writeFileSync(path.join(dir, "accounts", "service.yml"), example("accounts"));
    fs.writeFileSync(path.join(dir, "NOTES.md"), "notes");
    fs.mkdirSync(path.join(dir, "empty-folder"));
    fs.writeFileSync(path.join(dir, ".gitkeep"), "");
    const warnings: string[] = [];
    const [issue] = issuesOf(() => loadServices(dir, { onWarning: (w) => warnings.push(w) }));
    assert.equal(issue!.file, path.join(dir, "accounts", "service.yml"));
    assert.match(issue!.message, /must be named service\.yaml: rename service\.yml/);
    assert.deepEqual(
      warnings.map((w) => w.replaceAll(dir, "DIR")),
      [
        `DIR/NOTES.md: ignored: not a service folder (specs live in DIR/<id>/service.yaml)`,
        "DIR/empty-folder: ignored: no service.yaml in this folder",
      ],
    );
  });
});

describe("hostile input: positions and messages (issue 13)", () => {
  const PINGS = example("pings");
  const lines = PINGS.split("\n");

  it("an unclosed quote is reported at its opening quote, not at the end of the file", () => {
    const text = [...lines.slice(0, 4), '  name: "Pings', ...lines.slice(5)].join("\n");
    const [issue] = issuesOf(parse(text));
    assert.match(issue!.message, /YAML syntax error: Missing closing "quote/);
    assert.deepEqual([issue!.line, issue!.col], [5, 9]);
  });

  it("an over-indented key is reported at the key, not at the comment above it", () => {
    const at = lines.findIndex((l) => l.startsWith("  source:"));
    const text = [
      ...lines.slice(0, at),
      "  # where the code lives",
      `   ${lines[at]}`,
      ...lines.slice(at + 1),
    ].join("\n");
    const [issue] = issuesOf(parse(text));
    assert.match(issue!.message, /YAML syntax error/);
    assert.deepEqual([issue!.line, issue!.col], [at + 2, 6]);
  });

  it("a duplicate key is reported at the second occurrence, with the line of the first", () => {
    const text = PINGS.replace("  name: Pings\n", "  name: Pings\n  name: Again\n");
    const [issue] = issuesOf(parse(text));
    assert.match(issue!.message, /map keys must be unique: "name" is already on line 5/);
    assert.equal(issue!.line, 6);
  });

  it("deep nesting and self-referencing aliases are errors, not stack overflows", () => {
    const deep = (n: number) => PINGS.replace("  name: Pings", `  name: ${"[".repeat(n)}${"]".repeat(n)}`);
    for (const n of [100, 5000]) {
      const [issue] = issuesOf(parse(deep(n)));
      assert.match(issue!.message, /nested more than 64 levels deep/);
      assert.equal(issue!.line, 5);
    }
    const [alias] = issuesOf(parse(PINGS.replace("  owners:", "  owners: &o [*o]\n  x:")));
    assert.equal(alias!.message, "YAML aliases make a value contain itself");
    // The YAML library resolves each alias by scanning the anchors before it: their number is bounded first.
    const aliases = Array.from({ length: 1_000 }, (_, i) => `a${i}: *x\n`).join("");
    const [many] = issuesOf(parse(`x: &x 1\n${aliases}${PINGS}`));
    assert.match(many!.message, /more than 100 YAML aliases/);
    assert.equal(many!.line, 102);
  });

  it("!!binary and !!timestamp values say what they are, not 'a mapping'", () => {
    const binary = issuesOf(parse(PINGS.replace("  name: Pings", "  name: !!binary aGVsbG8=")));
    assert.equal(binary[0]!.message, "must be a string, not binary data (a !!binary value)");
    const stamp = issuesOf(parse(PINGS.replace("  name: Pings", "  name: !!timestamp 2001-12-14")));
    assert.match(stamp[0]!.message, /^must be a string, not a timestamp/);
  });

  it("a 900 KB value or key gives short messages", () => {
    const huge = "x".repeat(900_000);
    const name = issuesOf(parse(PINGS.replace("  name: Pings", `  name: ${huge}`)));
    // An explicit key (`? key`): implicit keys are limited to 1024 characters by YAML itself.
    const key = issuesOf(parse(PINGS.replace("  name: Pings", `  ? ${huge}\n  : 1`)));
    assert.match(key[0]!.message, /^unknown field "x{60}…"/);
    for (const i of [...name, ...key]) {
      assert.ok(i.message.length <= 301, `message of ${i.message.length} characters`);
      assert.ok(i.field.length <= 201, `field of ${i.field.length} characters`);
    }
    assert.ok(
      name.some((i) => /display name "x{60}…" is 900006 characters/.test(i.message)),
      JSON.stringify(name.map((i) => i.message)),
    );
    assert.ok(
      name.some((i) =>
        /README\.md beside the spec must begin with the title line "# x{60}…"/.test(i.message),
      ),
      "the README's title no longer matches the name",
    );
  });

  it("a spec of more YAML tokens than any spec needs is refused at the line where the cap is crossed", () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  unknown${i}: 1\n`).join("");
    const text = PINGS.replace("service:\n", `service:\n${keys}`);
    const issues = issuesOf(parse(text));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /^more than 20,000 YAML tokens .* by this line/);
    const first = text.split("\n").findIndex((l) => l.startsWith("  unknown0:")) + 1;
    // The example's tokens before the keys, then three per key (key, ":", value).
    assert.ok(issues[0]!.line > first + 6000 && issues[0]!.line < first + 6700, `line ${issues[0]!.line}`);
  });

  it("thousands of mistakes list the first 200 and count the rest", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `  unknown${i}: 1\n`).join("");
    const issues = issuesOf(parse(PINGS.replace("service:\n", `service:\n${keys}`)));
    assert.equal(issues.length, 201);
    assert.match(issues[200]!.message, /and 4800 more problem\(s\)/);
  });

  it("a typo in an env template variable is a validation error with a suggestion, at the value", () => {
    const spec = example("releaseregistry").replace(
      "SRC_LOG_LEVEL: info",
      'SRC_LOG_LEVEL: "{{ .ProjectId }}"',
    );
    const line = spec.split("\n").findIndex((l) => l.includes("{{ .ProjectId }}")) + 1;
    const file = path.join(EXAMPLES, "releaseregistry", "service.yaml");
    const [issue] = issuesOf(() => parseServiceSpec(file, new TextEncoder().encode(spec)));
    assert.equal(issue!.field, "environments[0].env.SRC_LOG_LEVEL");
    assert.equal(
      issue!.message,
      "uses the unknown template variable .ProjectId (did you mean {{ .ProjectID }}?)",
    );
    assert.deepEqual([issue!.line, issue!.col], [line, 22]);
  });
});

describe("hostile input: Pulumi stack files (issue 13)", () => {
  it("a broken stack file is named, with line and column, in its error", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-stacks-"));
    fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.x-dev.yaml"), "config:\n  gcp:project: [unclosed\n");
    const [issue] = issuesOf(() => platformSettingsFor("x-dev", root));
    assert.equal(issue!.file, path.join(root, "stacks", "Pulumi.x-dev.yaml"));
    assert.match(issue!.message, /^YAML syntax error/);
    assert.ok(issue!.line >= 2, `line ${issue!.line}`);
  });
});
