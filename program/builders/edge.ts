/** The environment's edge: an HTTPS load balancer behind its Cloudflare domain (services with a domain). */
import type { ResolvedEnvironment } from "../../resolve/model";
import { CloudflareDomain } from "../../components/domain";
import type { Foundation } from "./foundation";
import type { Workload } from "./workload";

export function buildEdge(
  env: ResolvedEnvironment,
  base: Foundation,
  workload: Workload,
): CloudflareDomain | undefined {
  const d = env.domain;
  if (!d || !workload.service) return undefined;
  return new CloudflareDomain(
    "domain",
    {
      projectId: base.project.projectId,
      region: env.region,
      cloudRunName: workload.service.serviceName,
      names: d.loadBalancerNames,
      subdomain: d.subdomain,
      zone: d.zone,
      owner: env.stack,
      proxied: d.proxied,
      restrictToCloudflare: d.cloudArmor,
      loadBalancerLogging: d.loadBalancerLogging,
      originCertificate: d.originCertificate,
    },
    base.opts,
  );
}
