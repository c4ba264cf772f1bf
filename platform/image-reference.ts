/**
 * Image references: which Artifact Registry repository an image lives in (to resolve a tag to its digest at
 * deploy time), and the reference Cloud Run runs. Pure.
 */

export { artifactRegistryImage, type ArtifactRegistryImage } from "./oci-reference";

/** `repo:tag`, what manual and rollout deploys run (rollouts change it through Cloud Deploy). */
export const taggedImage = (image: string, tag: string) => `${image}:${tag}`;

/** A reference pinned to a digest: `repo@sha256:...`. */
export const isPinnedToDigest = (ref: string) => /@sha256:[0-9a-f]{64}$/.test(ref);
