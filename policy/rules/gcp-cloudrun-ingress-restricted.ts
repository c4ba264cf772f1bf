import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const RESTRICTED_INGRESS = ["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"];

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
  checks: [
    check(gcp.cloudrunv2.Service, (service, report) => {
      const ingress = service.ingress ?? "INGRESS_TRAFFIC_ALL";
      if (!RESTRICTED_INGRESS.includes(ingress))
        report(
          `Ingress is ${ingress}: the run.app URL bypasses the load balancer, Cloud Armor and Cloudflare.`,
        );
    }),
  ],
});
