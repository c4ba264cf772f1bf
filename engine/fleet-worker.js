// Worker thread of engine/fleet.ts when the engine runs from its TypeScript sources (tests, tsx): registers
// tsx, then runs fleet-worker-main.ts. The bundled CLI never loads this file: bin/build.js bundles
// fleet-worker-main.ts as build/fleet-worker.js, which engine/fleet.ts finds beside the bundle.
"use strict";
require("tsx/cjs");
require("./fleet-worker-main.ts");
