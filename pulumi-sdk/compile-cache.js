// Compile cache for the `msp` command: most of a cold start is V8 compiling the same thousand modules of the
// Pulumi SDKs (and the bundle) every time. Their compiled code is kept in node_modules/.cache/msp-compile/<V8
// version>, checked against each module's content (a changed module is compiled afresh), and `npm ci` starts
// it anew. DISABLE_V8_COMPILE_CACHE=1 turns it off.
//
// Node 22.1+ has this built in (module.enableCompileCache). On Node 20 it comes from v8-compile-cache, with
// one step replaced: the library asks V8 to serialise a fresh code cache for every module on every run (its
// `produceCachedData: true`), which on Node 10+ always produces one, so it rewrote a 6.5 MB file and spent
// some 130 ms of each preview re-serialising code it had just loaded. Here a code cache is created only for a
// module that had none or whose cache V8 rejected. The library's other parts (the blob store, the require
// function it builds) are used as they are: v8-compile-cache is pinned exactly in package.json, and
// test/pulumi-sdk/compile-cache.test.ts fails if the parts used here change.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const nodeModule = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

/** The store's file names in the cache folder: msp.BLOB, msp.MAP (and msp.LOCK while one is written). */
const STORE = "msp";

/** Installs the cache for the modules loaded from now on; `root` is the repository (for node_modules/.cache). */
function enableCompileCache(root) {
  if (process.env.DISABLE_V8_COMPILE_CACHE) return;
  const dir = path.join(root, "node_modules", ".cache", "msp-compile", process.versions.v8);
  if (typeof nodeModule.enableCompileCache === "function") {
    nodeModule.enableCompileCache(dir);
    return;
  }
  const { FileSystemBlobStore, NativeCompileCache } = libraryParts();

  /** v8-compile-cache's module hook, with a code cache created only where there is none (see above). */
  class OnDemandCompileCache extends NativeCompileCache {
    _moduleCompile(filename, content) {
      // A hashbang line is not valid inside the function wrapper: keep the line, as a comment.
      const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
      const key = crypto.createHash("sha1").update(source, "utf8").digest("hex");
      const cached = this._cacheStore.get(filename, key);
      const script = new vm.Script(nodeModule.wrap(source), {
        filename,
        cachedData: cached,
        // `import()` in a cached module works as in any other (the library leaves it unsupported).
        importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      if (!cached || script.cachedDataRejected)
        this._cacheStore.set(filename, key, script.createCachedData());
      return script.runInThisContext({ filename, displayErrors: true });
    }
  }

  /**
   * The library's store, writing only entries whose files still exist: it is keyed by path and never forgets
   * one, so copies of the command in temporary folders (the tests make many) made it grow past 20 MB, all read
   * on every start. And it keeps what other processes wrote since this one read the store: a fleet's workers
   * save the SDKs' code while their parent, which never loads the SDKs, runs; the parent's own save came last
   * and dropped it.
   */
  class PrunedBlobStore extends FileSystemBlobStore {
    save() {
      const onDisk = new FileSystemBlobStore(this._directory, STORE);
      for (const [file, [key]] of Object.entries(onDisk._storedMap))
        if (!this.has(file, key) && !Object.hasOwn(this._memoryBlobs, file))
          this.set(file, key, onDisk.get(file, key));
      for (const file of Object.keys(this._storedMap)) if (!fs.existsSync(file)) delete this._storedMap[file];
      for (const file of Object.keys(this._memoryBlobs)) if (!fs.existsSync(file)) this.delete(file);
      return super.save();
    }
  }

  const cache = new OnDemandCompileCache();
  const store = new PrunedBlobStore(dir, STORE);
  cache.setCacheStore(store);
  cache.install();
  process.once("exit", () => {
    if (store.isDirty()) store.save();
    cache.uninstall();
  });
}

/** The blob store and the module hook of v8-compile-cache, without letting it install itself as it loads. */
function libraryParts() {
  const previous = process.env.DISABLE_V8_COMPILE_CACHE;
  process.env.DISABLE_V8_COMPILE_CACHE = "1";
  try {
    return require("v8-compile-cache").__TEST__;
  } finally {
    if (previous === undefined) delete process.env.DISABLE_V8_COMPILE_CACHE;
    else process.env.DISABLE_V8_COMPILE_CACHE = previous;
  }
}

module.exports = { enableCompileCache };
