/** The label that marks a Podman secret as leger's: legerd touches no other. */
export const MANAGED_LABEL = "io.leger.managed";
/** The leger.run version of the value the Podman secret holds. */
export const VERSION_LABEL = "io.leger.version";
/** The keyed digest (HMAC-SHA256, lowercase hex) of the value it holds. */
export const DIGEST_LABEL = "io.leger.digest";
/** The leger.run `created_at` of the secret the value came from. */
export const CREATED_AT_LABEL = "io.leger.created_at";

/** A digest as {@linkcode secretDigest} writes it: 64 lowercase hex digits. */
export const DIGEST_REGEXP = /^[0-9a-f]{64}$/;
/** A version as leger.run counts them: a positive integer without sign or leading zero. */
export const VERSION_REGEXP = /^[1-9][0-9]{0,15}$/;
