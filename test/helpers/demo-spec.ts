/** A one-environment spec of the `demo` service, for tests of what the platform decides about its fields. */
import * as path from "node:path";
import { parseServiceSpec, type LoadedService } from "../../servicespec/loader";
import type { Category } from "../../platform/categories";
import { REPO } from "./cli";

export const DEMO_FILE = path.join(REPO, "services", "demo", "service.yaml");

/**
 * The spec's text: one environment `env` of `category`; `extra` is YAML added to it (or top-level keys after
 * it), `service` to service.
 */
export function demoSpecText(
  category: Category,
  extra = "",
  service = "",
  projectID = "demo-env-a1b2",
): string {
  return `service:
  id: demo
  name: Demo
  owners: [team-a, team-b]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
${service}build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: env
    projectID: ${projectID}
    category: ${category}
    deploy: { type: manual, manual: { tag: v1 } }
    instances:
      resources: { cpu: 1, memory: 1Gi }
${extra}`;
}

/** The spec parsed (throws SpecError when it is invalid). */
export function demoSpec(category: Category, extra = "", service = "", projectID?: string): LoadedService {
  return parseServiceSpec(
    DEMO_FILE,
    new TextEncoder().encode(demoSpecText(category, extra, service, projectID)),
  );
}
