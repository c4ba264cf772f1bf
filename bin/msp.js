#!/usr/bin/env node
// Entry point of the `msp` command. TypeScript is transpiled on the fly by tsx (no type-check here:
// `npm run check` does that once), so the command starts fast from a fresh clone.
"use strict";
require("tsx/cjs");
require("../cli/main.ts").main(process.argv.slice(2));
