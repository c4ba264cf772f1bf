import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
export const PEERING_PREFIX_LENGTH = 16;

export interface PrivateNetworkArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  readonly networkName: string;
  /** A subnet's range cannot change in place: give a new range a new name. */
  readonly subnetName: string;
  /** Subnet range for Cloud Run direct VPC egress. */
  readonly subnetCidr: string;
  /** The range reserved for service networking peering (Cloud SQL, Redis). */
  readonly peeringRangeName: string;
}

/** VPC, subnet and service-networking peering for private Cloud SQL and Redis. Created only when needed. */
export class PrivateNetwork extends pulumi.ComponentResource {
  public readonly networkId: pulumi.Output<string>;
  public readonly networkSelfLink: pulumi.Output<string>;
  public readonly subnetSelfLink: pulumi.Output<string>;
  /** Cloud SQL and Redis wait for this peering before they are created. */
  public readonly peering: gcp.servicenetworking.Connection;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:PrivateNetwork", name, {}, opts);
    const cidr = args.subnetCidr;
    const network = new gcp.compute.Network(
      `${name}-vpc`,
      { project: args.projectId, name: args.networkName, autoCreateSubnetworks: false },
      childOptions(this),
    );
    const subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        project: args.projectId,
        region: args.region,
        name: args.subnetName,
        network: network.id,
        ipCidrRange: cidr,
        privateIpGoogleAccess: true,
        privateIpv6GoogleAccess: "DISABLE_GOOGLE_ACCESS",
        logConfig: {
          aggregationInterval: "INTERVAL_10_MIN",
          flowSampling: 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      childOptions(this),
    );
    const range = new gcp.compute.GlobalAddress(
      `${name}-peering-range`,
      {
        project: args.projectId,
        name: args.peeringRangeName,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: PEERING_PREFIX_LENGTH,
        network: network.id,
      },
      childOptions(this),
    );
    this.peering = new gcp.servicenetworking.Connection(
      `${name}-peering`,
      {
        network: network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [range.name],
      },
      childOptions(this),
    );
    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.subnetSelfLink = subnet.selfLink;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetSelfLink: this.subnetSelfLink,
    });
  }
}
