#!/usr/bin/env node
// Entry point of the `msp` command. The TypeScript sources are bundled once by esbuild (bin/build.js,
// rebuilt automatically when a source changes; no type-check here: `npm run check` does that), so the
// command starts as fast as plain JavaScript.
"use strict";
const { ensureBuilt } = require("./build");
require(ensureBuilt("msp.js")).main(process.argv.slice(2));
