/**
 * The offline engine uses @pulumi/pulumi internals (pulumi-sdk/runtime.ts, engine/cloud-model.ts, the entry-point test).
 * They can change in any release, so the SDK is pinned exactly and this test fails loudly, naming what
 * changed, when an upgrade moves them: re-check pulumi-sdk/ against the new SDK before bumping the pin.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { runProgramOffline } from "../../runner/run";
import * as path from "node:path";
import { UNKNOWN } from "../../engine/cloud-model";
import { SIG_KEY, SECRET_SIG } from "../../engine/redact";
import { REPO } from "../helpers/cli";

type Module = Record<string, unknown>;
const sdk = (p: string) => require(`@pulumi/pulumi/${p}`) as Module;

function assertFunction(mod: Module, name: string, arity: number, where: string) {
  const f = mod[name];
  assert.equal(typeof f, "function", `${where}.${name} is no longer a function`);
  assert.equal(
    (f as (...a: unknown[]) => unknown).length,
    arity,
    `${where}.${name} now takes ${(f as () => void).length} arguments, not ${arity}`,
  );
}

function assertMethods(cls: unknown, names: string[], where: string) {
  assert.equal(typeof cls, "function", `${where} is no longer exported`);
  const proto = (cls as { prototype: Record<string, unknown> }).prototype;
  const missing = names.filter((n) => typeof proto[n] !== "function");
  assert.deepEqual(missing, [], `${where} lost methods`);
}

describe("@pulumi/pulumi internals used by the offline engine", () => {
  const pinned = (
    JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies["@pulumi/pulumi"]!;

  it("is pinned to an exact version, the one installed, in a single copy", () => {
    assert.match(
      pinned,
      /^\d+\.\d+\.\d+$/,
      `package.json pins @pulumi/pulumi as "${pinned}": use an exact version`,
    );
    const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    assert.equal(installed, pinned, "the installed @pulumi/pulumi is not the pinned one: run npm ci");
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const copies = Object.entries(lock.packages).filter(([p]) => p.endsWith("node_modules/@pulumi/pulumi"));
    assert.deepEqual(
      copies.map(([p, v]) => `${p}@${v.version}`),
      [`node_modules/@pulumi/pulumi@${pinned}`],
      "provider SDKs must share the one @pulumi/pulumi (a second copy would run a second runtime)",
    );
  });

  it("runtime/settings: setMockOptions(monitor, project, stack, preview, organization), waitForRPCs()", () => {
    const settings = sdk("runtime/settings");
    assertFunction(settings, "setMockOptions", 5, "runtime/settings");
    assertFunction(settings, "waitForRPCs", 0, "runtime/settings");
    assertFunction(settings, "isDryRun", 0, "runtime/settings");
  });

  it("the members the offline fast paths replace: Resource.callsites(), runtime/debuggable.debuggablePromise", () => {
    // Read from the sources: once a program has run offline, the members are the offline replacements.
    const debuggable = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/debuggable"), "utf8");
    assert.match(debuggable, /^function debuggablePromise\(p, ctx\) \{$/m, "debuggablePromise changed");
    assert.match(
      debuggable,
      /^exports\.debuggablePromise = debuggablePromise;$/m,
      "debuggablePromise is no longer exported",
    );
    // Callers must look it up on the module at call time, or replacing it would do nothing.
    const resource = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/resource"), "utf8");
    assert.match(
      resource,
      /debuggable_1\.debuggablePromise\(/,
      "runtime/resource no longer calls debuggablePromise through the module",
    );
    const resourceJs = fs.readFileSync(require.resolve("@pulumi/pulumi/resource"), "utf8");
    assert.match(
      resourceJs,
      /let stack = Resource\.callsites\(\);/,
      "Resource.stackTrace no longer goes through Resource.callsites",
    );
  });

  it("the Struct conversion a run bypasses: requests built from serialised properties used nowhere else", async () => {
    const resource = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/resource"), "utf8");
    // The conversion is looked up on the class at call time, so replacing it during a run takes effect...
    assert.match(
      resource,
      /req\.setObject\(gstruct\.Struct\.fromJavaScript\(resop\.serializedProps\)\);/,
      "RegisterResource no longer builds its Struct through Struct.fromJavaScript",
    );
    // ...and the object handed over as it is is not read again after the request is built (debug logs aside).
    const uses = resource.match(/resop\.serializedProps(?!\))/g) ?? [];
    assert.deepEqual(uses, [], "serialisedProps is used outside the request conversion and debug logs");
    type StructMessage = { getFieldsMap(): { getLength(): number }; serializeBinary(): Uint8Array };
    const { Struct } = createRequire(require.resolve("@pulumi/pulumi"))(
      "google-protobuf/google/protobuf/struct_pb",
    ) as {
      Struct: {
        fromJavaScript(v: unknown): StructMessage;
        deserializeBinary(b: Uint8Array): { toJavaScript(): unknown };
      };
    };
    // During a run, a Struct anyone else builds (a test's gRPC server answering another process) is still
    // a real one once read as protobuf: serialised, it carries the value.
    const value = { a: 1, b: "x", c: [true, null, { d: 2.5 }] };
    let duringRun: unknown;
    await runProgramOffline(
      "sdk-internals-test",
      () => {
        duringRun = Struct.deserializeBinary(Struct.fromJavaScript(value).serializeBinary()).toJavaScript();
        return { answer: 42 };
      },
      {},
      "applied",
    );
    assert.deepEqual(duringRun, value);
    // After a run the real conversion is back.
    assert.equal(Struct.fromJavaScript({ a: 1, b: "x" }).getFieldsMap().getLength(), 2);
  });

  it("runtime/rpc: the unknown and secret wire markers the engine writes", () => {
    const rpc = sdk("runtime/rpc");
    assert.equal(rpc.unknownValue, UNKNOWN, "the unknown sentinel changed");
    assert.equal(rpc.specialSigKey, SIG_KEY, "the signature key changed");
    assert.equal(rpc.specialSecretSig, SECRET_SIG, "the secret signature changed");
  });

  it("proto/resource_pb and proto/provider_pb: the messages the monitor reads and writes", () => {
    const res = sdk("proto/resource_pb");
    assertMethods(
      res.RegisterResourceRequest,
      [
        "getType",
        "getName",
        "getParent",
        "getCustom",
        "getProvider",
        "getObject",
        "getProtect",
        "getDependenciesList",
        "getPropertydependenciesMap",
        "getIgnorechangesList",
        "getDeletebeforereplace",
        "getRetainondelete",
        "getAdditionalsecretoutputsList",
      ],
      "RegisterResourceRequest",
    );
    assertMethods(res.RegisterResourceResponse, ["setUrn", "setId", "setObject"], "RegisterResourceResponse");
    assertMethods(
      res.RegisterResourceOutputsRequest,
      ["getUrn", "getOutputs"],
      "RegisterResourceOutputsRequest",
    );
    assertMethods(res.SupportsFeatureResponse, ["setHassupport"], "SupportsFeatureResponse");
    assertMethods(res.RegisterPackageResponse, ["setRef"], "RegisterPackageResponse");
    const prov = sdk("proto/provider_pb");
    assertMethods(prov.InvokeResponse, ["setReturn"], "InvokeResponse");
    assertMethods(res.ResourceInvokeRequest, ["getTok", "getArgs"], "ResourceInvokeRequest");
  });

  it("proto/*_grpc_pb: the services the entry-point test serves", () => {
    const monitor = sdk("proto/resource_grpc_pb").ResourceMonitorService as Record<string, { path: string }>;
    for (const m of [
      "registerResource",
      "registerResourceOutputs",
      "invoke",
      "supportsFeature",
      "registerPackage",
    ])
      assert.match(monitor[m]?.path ?? "", /^\/pulumirpc\.ResourceMonitor\//, `ResourceMonitorService.${m}`);
    const engine = sdk("proto/engine_grpc_pb").EngineService as Record<string, { path: string }>;
    for (const m of ["log", "getRootResource", "setRootResource"])
      assert.match(engine[m]?.path ?? "", /^\/pulumirpc\.Engine\//, `EngineService.${m}`);
  });

  it("asks the monitor for the features the offline monitor answers", () => {
    const source = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/settings"), "utf8");
    const asked = /\]\s*=\s*await Promise\.all\(\[([\s\S]*?)\]\.map\(\(feature\)/.exec(source)?.[1];
    assert.ok(asked, "runtime/settings no longer asks for features the way pulumi-sdk/runtime.ts expects");
    assert.deepEqual(
      [...asked.matchAll(/"(\w+)"/g)].map((m) => m[1]),
      [
        "secrets",
        "resourceReferences",
        "outputValues",
        "deletedWith",
        "replaceWith",
        "aliasSpecs",
        "transforms",
        "invokeTransforms",
        "parameterization",
        "resourceHooks",
        "errorHooks",
      ],
      "the SDK asks for new or different features: check that the offline monitor's answers still hold",
    );
  });

  it("cmd/run: the language host's program entry with the flags the entry-point test passes", () => {
    const entry = require.resolve("@pulumi/pulumi/cmd/run");
    const source = fs.readFileSync(entry, "utf8");
    for (const flag of [
      "monitor",
      "engine",
      "project",
      "stack",
      "pwd",
      "root-directory",
      "organization",
      "parallel",
    ])
      assert.ok(source.includes(`"${flag}"`), `cmd/run no longer reads --${flag}`);
    assert.ok(source.includes('boolean: ["dry-run"]'), "cmd/run no longer reads --dry-run as a boolean");
  });
});
