// Deferred loading of the parts of the Pulumi SDK an offline preview never uses. Loading @pulumi/pulumi loads,
// among its thousand modules, the TypeScript compiler and npm's Arborist (with their dependencies): the SDK uses
// them to serialise JavaScript functions (dynamic providers, callbacks) and to find the packages a serialised
// function needs. Neither happens in a stack program that only declares resources, yet the two were some 0.3 s
// of every `msp preview` (measured: loading the three SDKs through the compile cache, 778 ms -> 493 ms).
//
// Each module listed below is handed, where one SDK file requires it, a stand-in that loads the real module on
// first use (any property read, call or enumeration) and then forwards everything to it: the SDK works as
// before, it only loads these modules when it needs them. bin/msp.js and the fleet's workers install this; a
// real `pulumi preview` or `pulumi up` runs the program without it. @pulumi/pulumi is pinned exactly (package.json)
// and test/pulumi-sdk/defer-sdk-modules.test.ts fails if a listed file stops requiring its module the way described
// here, and checks that serialising a function and computing code paths still work with the stand-ins.
"use strict";
const nodeModule = require("node:module");

/**
 * SDK file (inside node_modules/@pulumi/pulumi) -> module it requires -> what its stand-in answers for
 * `__esModule` without loading it: the TypeScript interop helpers read only that at load time.
 * - `typescript` is re-exported by typescript-shim.js, whose users read `ts.<name>` inside functions.
 * - codePaths.js (computing the packages of a serialised function) imports Arborist with `__importStar`, which
 *   would copy its exports at once; the stand-in says it is an ES module so that the helper hands it through
 *   unchanged, and codePaths.js reads only `arborist.Arborist` from it, when it runs.
 * - normalize-package-data (`__importDefault`, a CommonJS module: no `__esModule`) and fdir (plain `require`)
 *   are used by codePaths.js only when it runs.
 */
const DEFERRED = new Map([
  ["typescript-shim.js", new Map([["typescript", { esModule: undefined }]])],
  [
    "runtime/closure/codePaths.js",
    new Map([
      ["@npmcli/arborist", { esModule: true }],
      ["normalize-package-data", { esModule: undefined }],
      ["fdir", { esModule: undefined }],
    ]),
  ],
]);

const SDK_DIR = "/node_modules/@pulumi/pulumi/";

/** A stand-in for a module: loads it with `load()` on first use and forwards every operation to it. */
function deferredModule(load, esModule) {
  let real;
  const target = () => (real ??= load());
  // A function, so that a module that is a function (normalize-package-data) can be called through it; an
  // arrow function, whose own keys are all configurable (a `prototype` the module lacks would break `ownKeys`).
  const stub = () => {};
  return new Proxy(stub, {
    get: (_, key) => (key === "__esModule" && real === undefined ? esModule : Reflect.get(target(), key)),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(stubTarget, key) {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may report a non-configurable property only if its target has it too.
      if (d && !d.configurable) Object.defineProperty(stubTarget, key, d);
      return d;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    defineProperty: (_, key, d) => Reflect.defineProperty(target(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    apply: (_, self, args) => Reflect.apply(target(), self, args),
  });
}

/** Installs the stand-ins for the modules required from now on (once per thread: each has its own loader). */
function deferUnusedSdkModules() {
  const load = nodeModule._load;
  if (load.mspDeferred) return;
  const deferring = function (request, parent, isMain) {
    const file = typeof parent?.filename === "string" ? parent.filename.replace(/\\/g, "/") : "";
    const at = file.lastIndexOf(SDK_DIR);
    const spec = at < 0 ? undefined : DEFERRED.get(file.slice(at + SDK_DIR.length))?.get(request);
    if (!spec) return load.apply(this, arguments);
    return deferredModule(() => load.call(this, request, parent, isMain), spec.esModule);
  };
  deferring.mspDeferred = true;
  nodeModule._load = deferring;
}

module.exports = { deferUnusedSdkModules, deferredModule, DEFERRED };
