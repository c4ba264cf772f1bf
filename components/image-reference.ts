/**
 * Image references: which Artifact Registry repository an image lives in (to resolve a tag to its digest at
 * deploy time), and the reference Cloud Run runs. Pure.
 */

/** The arguments of gcp.artifactregistry.getDockerImage for an image, without the tag. */
export interface ArtifactRegistryImage {
  location: string;
  project: string;
  repositoryId: string;
  /** Path of the image inside the repository. */
  imageName: string;
}

/** Container Registry hosts, served by Artifact Registry `gcr.io` repositories in these locations. */
const GCR_LOCATIONS: Readonly<Record<string, string>> = {
  "gcr.io": "us",
  "us.gcr.io": "us",
  "eu.gcr.io": "europe",
  "asia.gcr.io": "asia",
};

/**
 * The Artifact Registry repository of `image` (a repository without tag): `<location>-docker.pkg.dev/<project>/
 * <repository>/<image>`, or a Container Registry host (`[us.|eu.|asia.]gcr.io/<project>/<image>`), which
 * Artifact Registry serves from a repository named after the host. Undefined for other registries.
 */
export function artifactRegistryImage(image: string): ArtifactRegistryImage | undefined {
  const [host, project, ...rest] = image.split("/");
  if (!host || !project || !rest.length || rest.some((p) => !p)) return undefined;
  const pkg = /^([a-z0-9-]+)-docker\.pkg\.dev$/.exec(host);
  if (pkg) {
    const [repositoryId, ...name] = rest;
    return name.length
      ? { location: pkg[1]!, project, repositoryId: repositoryId!, imageName: name.join("/") }
      : undefined;
  }
  const gcr = GCR_LOCATIONS[host];
  return gcr ? { location: gcr, project, repositoryId: host, imageName: rest.join("/") } : undefined;
}

/** `repo:tag`, what manual and rollout deploys run (rollouts change it through Cloud Deploy). */
export const taggedImage = (image: string, tag: string) => `${image}:${tag}`;

/** A reference pinned to a digest: `repo@sha256:...`. */
export const isPinnedToDigest = (ref: string) => /@sha256:[0-9a-f]{64}$/.test(ref);
