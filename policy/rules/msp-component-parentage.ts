import { stackPolicy, levels } from "../define";

export const mspComponentParentage = stackPolicy({
  name: "msp-component-parentage",
  description: "Every GCP, Cloudflare and random resource is created inside an msp:* component.",
  severity: "high",
  remediation:
    "Add the resource to a component in components/ (or a new one) instead of declaring it in the program directly.",
  meta: { group: "Naming and metadata", levels: levels("A", "M", "M"), frameworks: ["MSP golden path"] },
  validate: (args, report) => {
    for (const r of args.resources) {
      if (!/^(gcp|cloudflare|random):/.test(r.type)) continue;
      let p = r.parent;
      while (p && !p.type.startsWith("msp:")) p = p.parent;
      if (!p) report(`${r.type} "${r.name}" is not inside an msp component.`, r.urn);
    }
  },
});
