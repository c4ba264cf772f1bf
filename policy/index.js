// The entry the Pulumi CLI loads for `pulumi preview --policy-pack policy` (package.json "main").
//
// The CLI starts `@pulumi/pulumi/cmd/run-policy-pack <engine> .` in this folder. That runner ignores
// PulumiPolicy.yaml's runtime options (`nodeargs`, `typescript`) and compiles `.ts` files with a type-checking
// ts-node (its vendored 7.0.1 unless the project installs one), which fails on any type error or TypeScript
// version it does not know. This file is plain JavaScript: it registers tsx (transpile only, as for the stack
// program in Pulumi.yaml; `npm run check` type-checks), so the TypeScript sources below are loaded by tsx, never
// by ts-node, and always as they are in the checkout: no build step, nothing stale.
"use strict";
require("tsx/cjs/api").register();
require("./index.ts");
