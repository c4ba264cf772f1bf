import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const gcpCloudrunIngressRestricted = resourcePolicy({
  name: "gcp-cloudrun-ingress-restricted",
  description: "Cloud Run services accept traffic only from the load balancer or inside the project.",
  severity: "high",
  remediation:
    "Give the service a domain (ingress then becomes INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER), or exempt it with a reason.",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["CFT secure-cloud-run", "Cloud Run ingress guidance"],
  },
  types: [T.runService],
  validate: (props, report) => {
    const ingress = props.ingress ?? "INGRESS_TRAFFIC_ALL";
    if (
      !["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"].includes(String(ingress))
    )
      report(
        `Ingress is ${String(ingress)}: the run.app URL bypasses the load balancer, Cloud Armor and Cloudflare.`,
      );
  },
});
