/**
 * Pulumi's SDK internals have one room, pulumi-sdk/: only its files import modules inside @pulumi/pulumi or
 * @pulumi/policy (past their entry points) or google-protobuf, patch SDK members or Node's module loader; and
 * the versions the room was written for are the ones package.json pins and npm installed. An SDK upgrade is
 * then a change to that folder (pulumi-sdk/versions.ts says how).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { WRITTEN_FOR } from "../../pulumi-sdk/versions";
import { sourceFiles, specifiersIn } from "../helpers/source-graph";
import { LAYERS } from "../architecture/layers";

const ROOT = path.join(__dirname, "..", "..");
const ROOM = "pulumi-sdk";

/** A module specifier that reaches an SDK's internals: a file inside the package, or the protobuf runtime. */
const INTERNAL = /^(@pulumi\/(pulumi|policy)\/.+|google-protobuf(\/.*)?)$/;
/** Patches of SDK members and of Node's loader (assignments, not reads). */
const PATCHES = [
  /\.callsites\s*=[^=]/,
  /\bdebuggablePromise\s*=[^=]/,
  /\bfromJavaScript\s*=[^=]/,
  /\._load\s*=[^=]/,
  /\bsetMockOptions\s*\(/,
];

/** Each file outside the room that reaches in, with what it reaches. */
export function trespassers(files: readonly string[], read: (f: string) => string): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.startsWith(`${ROOM}/`)) continue;
    const text = read(f);
    for (const s of specifiersIn(text).filter((s) => INTERNAL.test(s))) out.push(`${f} imports ${s}`);
    for (const p of PATCHES) if (p.test(text)) out.push(`${f} patches the SDK (${p.source})`);
  }
  return out;
}

describe("Pulumi's SDK internals: one room (pulumi-sdk/)", () => {
  const units = LAYERS.flat();
  const files = sourceFiles(ROOT, units);
  const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

  it("no source file outside pulumi-sdk/ imports SDK internals or patches the SDK", () => {
    assert.ok(files.length > 200, `only ${files.length} source files found`);
    assert.deepEqual(trespassers(files, read), []);
  });

  it("the room does reach the internals (the check looks at the right files)", () => {
    const inside = files.filter((f) => f.startsWith(`${ROOM}/`));
    assert.ok(inside.some((f) => specifiersIn(read(f)).some((s) => INTERNAL.test(s))));
    assert.ok(inside.some((f) => PATCHES.some((p) => p.test(read(f)))));
  });

  it("reports a file outside the room that reaches in (the check can fail)", () => {
    // runner/run.ts as it was before the room: its own require of the runtime's settings, and a patch.
    const before = [
      'const settings = require("@pulumi/pulumi/runtime/settings");',
      'import { Struct } from "google-protobuf/google/protobuf/struct_pb";',
      "(pulumi.Resource as any).callsites = () => [];",
      "debuggable.debuggablePromise = (p) => p;",
    ].join("\n");
    assert.deepEqual(
      trespassers(["runner/run.ts"], () => before),
      [
        "runner/run.ts imports @pulumi/pulumi/runtime/settings",
        "runner/run.ts imports google-protobuf/google/protobuf/struct_pb",
        "runner/run.ts patches the SDK (\\.callsites\\s*=[^=])",
        "runner/run.ts patches the SDK (\\bdebuggablePromise\\s*=[^=])",
      ],
    );
    // The public entry points are not internals; reading a member is not a patch.
    const publicUse = 'import * as pulumi from "@pulumi/pulumi";\nif (x.callsites === y) f();';
    assert.deepEqual(
      trespassers(["runner/run.ts"], () => publicUse),
      [],
    );
    assert.deepEqual(
      trespassers(["pulumi-sdk/runtime.ts"], () => before),
      [],
      "the room itself may",
    );
  });

  it("package.json pins the versions the room was written for, exactly, and they are installed", () => {
    const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries(WRITTEN_FOR)) {
      assert.equal(pkg.dependencies[name], version, `package.json must pin ${name} exactly at ${version}`);
      // @pulumi/policy says "v1.21.0" in its package.json.
      const installed = (require(`${name}/package.json`) as { version: string }).version.replace(/^v/, "");
      assert.equal(
        installed,
        version,
        `${name} ${installed} is installed; pulumi-sdk/ was written for ${version}`,
      );
    }
  });
});
