// A fleet generated from the example services (services/): copies of each under new IDs, projects and domains,
// until there are at least `min` stacks. The benchmark previews it with --all (bin/bench.js); the idempotence
// test plans each of its stacks against its own applied state (test/engine/idempotence.e2e.test.ts).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");

const ROOT = path.join(__dirname, "..");

/** Writes the fleet's service folders into `dir`; returns the number of stacks. */
function generateFleet(dir, min, services = path.join(ROOT, "services")) {
  const examples = fs.readdirSync(services).sort();
  let stacks = 0;
  for (let k = 0; stacks < min; k++) {
    for (const id of examples) {
      const src = path.join(services, id);
      const spec = YAML.parse(fs.readFileSync(path.join(src, "service.yaml"), "utf8"));
      const newId = `f${k}-${id.slice(0, 10)}`.replace(/-+$/, "");
      spec.service.id = newId;
      delete spec.service.name;
      for (const env of spec.environments) {
        env.projectID = `${newId}-${env.id}-${String(k).padStart(4, "0")}`;
        if (env.domain && env.domain.cloudflare) env.domain.cloudflare.subdomain = newId;
      }
      const out = path.join(dir, newId);
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, "service.yaml"), YAML.stringify(spec));
      for (const f of fs.readdirSync(src))
        if (f.endsWith(".bigquerytable.json")) fs.copyFileSync(path.join(src, f), path.join(out, f));
      stacks += spec.environments.length;
    }
  }
  return stacks;
}

module.exports = { generateFleet };
