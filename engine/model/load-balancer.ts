/** The external HTTPS load balancer in front of Cloud Run: NEG, backend, URL maps, certificates, proxies, rules. */
import type * as gcp from "@pulumi/gcp";
import {
  globalCompute,
  globalWithSelfLink,
  num,
  projectOf,
  regionalWithSelfLink,
  resourceModel,
  str,
  type ResourceModel,
} from "./define";

export const loadBalancerModels: Record<string, ResourceModel> = {
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": resourceModel<
    typeof gcp.compute.RegionNetworkEndpointGroup
  >().onCreate(regionalWithSelfLink("networkEndpointGroups")),
  "gcp:compute/backendService:BackendService": resourceModel<typeof gcp.compute.BackendService>().onCreate(
    globalWithSelfLink("backendServices"),
  ),
  "gcp:compute/uRLMap:URLMap": resourceModel<typeof gcp.compute.URLMap>().onCreate(
    globalWithSelfLink("urlMaps"),
  ),
  "gcp:compute/sSLPolicy:SSLPolicy": resourceModel<typeof gcp.compute.SSLPolicy>().onCreate(
    globalWithSelfLink("sslPolicies"),
  ),
  "gcp:compute/securityPolicy:SecurityPolicy": resourceModel<typeof gcp.compute.SecurityPolicy>().onCreate(
    globalWithSelfLink("securityPolicies"),
  ),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": resourceModel<
    typeof gcp.compute.TargetHttpsProxy
  >().onCreate(globalWithSelfLink("targetHttpsProxies")),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": resourceModel<typeof gcp.compute.TargetHttpProxy>().onCreate(
    globalWithSelfLink("targetHttpProxies"),
  ),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": resourceModel<
    typeof gcp.compute.GlobalForwardingRule
  >().onCreate(globalWithSelfLink("forwardingRules")),
  "gcp:compute/sSLCertificate:SSLCertificate": resourceModel<typeof gcp.compute.SSLCertificate>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      // With a name prefix the provider picks the name on create (so the certificate can be replaced in place).
      const name = str(inputs.name) || `${str(inputs.namePrefix, "cert-")}${num(ctx.name + project, 8)}`;
      const { id, selfLink } = globalCompute(project, "sslCertificates", name);
      return { id, state: { name, selfLink, certificateId: Number(num(name, 9)) } };
    },
  ),
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": resourceModel<
    typeof gcp.compute.ManagedSslCertificate
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    const { id, selfLink } = globalCompute(project, "sslCertificates", name);
    return { id, state: { selfLink, certificateId: Number(num(name + project, 9)) } };
  }),
};
