/**
 * pulumi-sdk/defer-sdk-modules.js: the parts of the Pulumi SDK an offline preview never uses load on first use. The
 * stand-ins must be invisible: the SDK still serialises functions and computes code paths through them, each
 * listed SDK file requires its module the way the table says (so a stand-in answers the interop helpers as
 * the real module would, or as the file's use of it allows), and a stand-in forwards everything.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO } from "../helpers/cli";

interface Deferral {
  esModule: true | undefined;
}
const { DEFERRED, deferredModule } = require("../../pulumi-sdk/defer-sdk-modules.js") as {
  DEFERRED: Map<string, Map<string, Deferral>>;
  deferredModule: (load: () => unknown, esModule: unknown) => Record<string | symbol, unknown>;
};

const SDK_DIR = path.join(REPO, "node_modules", "@pulumi", "pulumi");
const DEFER = path.join(REPO, "pulumi-sdk", "defer-sdk-modules.js");

/** Runs `code` in a new node process (in `cwd`), with the deferral installed first when `defer`. */
function node(code: string, defer: boolean, cwd = REPO): string {
  const r = spawnSync(
    process.execPath,
    ["-e", `${defer ? `require(${JSON.stringify(DEFER)}).deferUnusedSdkModules();` : ""}${code}`],
    { cwd, encoding: "utf8", env: { ...process.env, NODE_PATH: path.join(REPO, "node_modules") } },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** The packages the table defers, sorted. */
const DEFERRED_PACKAGES = [...DEFERRED.values()].flatMap((m) => [...m.keys()]).sort();

/** Code printing which of the deferred packages are loaded, as a JSON array. */
const LOADED = `JSON.stringify(Object.keys(require.cache).map((k) => /node_modules\\/((?:@npmcli\\/)?[^/]+)\\//.exec(k.slice(k.lastIndexOf("node_modules/")))?.[1]).filter((p) => ${JSON.stringify(DEFERRED_PACKAGES)}.includes(p)).filter((p, i, a) => a.indexOf(p) === i).sort())`;

describe("deferred SDK modules (pulumi-sdk/defer-sdk-modules.js)", function () {
  this.timeout(60_000);

  it("loading the SDKs loads none of the deferred modules, which plain Node loads", () => {
    const code = `require("@pulumi/pulumi"); require("@pulumi/gcp"); require("@pulumi/cloudflare"); console.log(${LOADED});`;
    assert.deepEqual(JSON.parse(node(code, false)), DEFERRED_PACKAGES);
    assert.deepEqual(JSON.parse(node(code, true)), []);
  });

  it("serialising a function still works, and loads TypeScript only then", () => {
    const out = node(
      `const pulumi = require("@pulumi/pulumi"); const before = ${LOADED};
pulumi.runtime.serializeFunction(() => 6 * 7).then((f) => console.log(JSON.stringify({ before: JSON.parse(before), text: f.text, after: JSON.parse(${LOADED}) })));`,
      true,
    );
    const r = JSON.parse(out) as { before: string[]; text: string; after: string[] };
    assert.deepEqual(r.before, []);
    assert.match(r.text, /6 \* 7/);
    assert.ok(r.after.includes("typescript"), r.after.join(", "));
  });

  it("computing the code paths of a program still finds its packages (Arborist, loaded then)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-code-paths-"));
    try {
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "p", version: "1.0.0", dependencies: { dep: "1.0.0" } }),
      );
      fs.mkdirSync(path.join(dir, "node_modules", "dep"), { recursive: true });
      fs.writeFileSync(
        path.join(dir, "node_modules", "dep", "package.json"),
        JSON.stringify({ name: "dep", version: "1.0.0" }),
      );
      fs.writeFileSync(path.join(dir, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
      const code = `require(${JSON.stringify(path.join(SDK_DIR, "index.js"))}).runtime.computeCodePaths().then((m) => console.log(JSON.stringify([...m.keys()])));`;
      const plain = node(code, false, dir);
      assert.deepEqual(JSON.parse(plain), ["node_modules/dep"]);
      assert.equal(node(code, true, dir), plain);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("each SDK file requires its deferred module as the table says", () => {
    for (const [file, modules] of DEFERRED)
      for (const [request, { esModule }] of modules)
        it(`${file}: ${request}`, () => {
          const source = fs.readFileSync(path.join(SDK_DIR, file), "utf8");
          const call = `require("${request}")`;
          assert.ok(source.includes(call), `${file} no longer requires ${request}`);
          const real = require(
            require.resolve(request, { paths: [path.join(SDK_DIR, path.dirname(file))] }),
          ) as {
            __esModule?: unknown;
          };
          if (esModule === undefined) {
            // The stand-in answers `__esModule` as the real module does.
            assert.equal(real.__esModule, undefined);
            return;
          }
          // It says "ES module" so that __importStar hands it through: the file must read only named exports
          // from the binding, never the binding itself or its `default`.
          const declaration = `__importStar(${call});`;
          const line = source.split("\n").find((l) => l.endsWith(declaration));
          const binding = line && /^const (\w+) = /.exec(line)?.[1];
          assert.ok(binding, `${file} no longer imports ${request} with __importStar`);
          const rest = source.replace(line, "");
          const uses = [...rest.matchAll(new RegExp(`\\b${binding}\\b(\\.\\w+)?`, "g"))];
          assert.ok(uses.length > 0);
          for (const [use, member] of uses) {
            assert.ok(member && member !== ".default", `${file} uses ${use} whole`);
            assert.ok(member.slice(1) in real, `${request} has no export ${member}`);
          }
        });
  });

  describe("a stand-in", () => {
    const counting = (make: () => unknown) => {
      let loads = 0;
      return { load: () => (loads++, make()), loads: () => loads };
    };

    it("loads nothing until used, then once, and forwards reads, keys, descriptors and writes", () => {
      const real = { a: 1, f: (x: number) => x + 1 };
      Object.defineProperty(real, "__esModule", { value: true }); // non-configurable, as TypeScript emits it
      const c = counting(() => real);
      const m = deferredModule(c.load, undefined);
      assert.equal(c.loads(), 0);
      assert.equal(m.a, 1);
      assert.equal((m.f as (x: number) => number)(2), 3);
      assert.deepEqual(Reflect.ownKeys(m), Reflect.ownKeys(real));
      assert.deepEqual(
        Object.getOwnPropertyDescriptor(m, "__esModule"),
        Object.getOwnPropertyDescriptor(real, "__esModule"),
      );
      assert.equal("a" in m, true);
      m.b = 2;
      assert.equal((real as Record<string, unknown>).b, 2);
      assert.equal(c.loads(), 1);
    });

    it("answers __esModule before loading as declared, and as the module does after", () => {
      const c = counting(() => ({ x: 1 }));
      const m = deferredModule(c.load, true);
      assert.equal(m.__esModule, true);
      assert.equal(c.loads(), 0);
      assert.equal(m.x, 1);
      assert.equal(m.__esModule, undefined);
    });

    it("can be called when the module is a function", () => {
      const m = deferredModule(() => (x: number) => x * 2, undefined) as unknown as (x: number) => number;
      assert.equal(m(21), 42);
    });
  });
});
