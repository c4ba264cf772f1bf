// Worker thread of engine/fleet.ts: registers tsx, then previews the stacks the parent sends one by one.
"use strict";
require("tsx/cjs");
require("./fleet-worker-main.ts");
