// How every process and thread of `msp` that loads the Pulumi SDKs starts (bin/msp.js, and each worker of
// `msp preview --all`): compiled code of the SDKs and the bundle comes from the compile cache
// (pulumi-sdk/compile-cache.js), and the parts of the SDK an offline preview never uses load only if something uses
// them (pulumi-sdk/defer-sdk-modules.js). One function, so that the command and the fleet's workers cannot drift apart.
"use strict";
const { enableCompileCache } = require("./compile-cache");
const { deferUnusedSdkModules } = require("./defer-sdk-modules");

/** Prepares this thread to load the SDKs; `root` is the repository (the compile cache lives in its node_modules). */
function fastStart(root) {
  enableCompileCache(root);
  deferUnusedSdkModules();
}

module.exports = { fastStart };
