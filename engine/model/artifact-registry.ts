/**
 * Artifact Registry: the image a tag points to, read at deploy time (subscription deploys pin the digest).
 *
 * Offline there is no registry, so the model returns a digest derived from the image and tag that is
 * visibly not a real one: it starts with OFFLINE_DIGEST_PREFIX ("0ff11e", "offline") and the image's build and
 * upload times are the Unix epoch. The same image and tag always give the same digest, so plans are stable.
 */
import type * as gcp from "@pulumi/gcp";
import {
  dataSourceModel,
  hash,
  iamBinding,
  resourceModel,
  str,
  type DataSourceModel,
  type ResourceModel,
} from "./define";

export const OFFLINE_DIGEST_PREFIX = "0ff11e";
const EPOCH = "1970-01-01T00:00:00Z";

/** The modelled digest of `<registry path>/<image>:<tag>` (sha256:0ff11e...). */
export const offlineDigest = (imagePath: string, tag: string): string =>
  `sha256:${OFFLINE_DIGEST_PREFIX}${hash(`offline-digest/${imagePath}:${tag}`, 64 - OFFLINE_DIGEST_PREFIX.length)}`;

export const artifactRegistryDataSources: Record<string, DataSourceModel> = {
  "gcp:artifactregistry/getDockerImage:getDockerImage": dataSourceModel<
    typeof gcp.artifactregistry.getDockerImage
  >().onInvoke((args) => {
    const location = str(args.location);
    const project = str(args.project);
    const repositoryId = str(args.repositoryId);
    // imageName is `<name>`, `<name>:<tag>` or `<name>@<digest>`.
    const [nameAndTag, pinned] = args.imageName.split("@") as [string, string | undefined];
    const [name, tag = "latest"] = nameAndTag.split(":") as [string, string | undefined];
    const host = repositoryId.endsWith("gcr.io") ? repositoryId : `${location}-docker.pkg.dev`;
    const path = repositoryId.endsWith("gcr.io")
      ? `${host}/${project}/${name}`
      : `${host}/${project}/${repositoryId}/${name}`;
    const digest = pinned ?? offlineDigest(path, tag);
    return {
      id: `projects/${project}/locations/${location}/repositories/${repositoryId}/dockerImages/${name}@${digest}`,
      name: `projects/${project}/locations/${location}/repositories/${repositoryId}/dockerImages/${name}@${digest}`,
      imageName: args.imageName,
      location,
      project,
      repositoryId,
      selfLink: `${path}@${digest}`,
      tags: pinned ? [] : [tag],
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      imageSizeBytes: "0",
      buildTime: EPOCH,
      uploadTime: EPOCH,
      updateTime: EPOCH,
    };
  }),
};

export const artifactRegistryModels: Record<string, ResourceModel> = {
  // The image pull grant on one repository (components/identities.ts); the provider's import ID is
  // projects/{project}/locations/{location}/repositories/{repository} {role} {member}.
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": resourceModel<
    typeof gcp.artifactregistry.RepositoryIamMember
  >().onCreate((inputs) =>
    iamBinding(
      `projects/${str(inputs.project)}/locations/${str(inputs.location)}/repositories/${str(inputs.repository)}`,
      inputs.role,
      inputs.member,
    ),
  ),
};
