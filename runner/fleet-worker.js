// Worker thread of runner/fleet.ts when the engine runs from its TypeScript sources (tests, tsx): registers
// tsx, then runs fleet-worker-main.ts. The bundled CLI never loads this file: bin/build.js bundles
// fleet-worker-main.ts as build/fleet-worker.js, which runner/fleet.ts finds beside the bundle.
"use strict";
require("tsx/cjs");
require("./fleet-worker-main.ts");
