/**
 * The two places Podman and systemd keep services: a user's own (rootless
 * Podman, `systemctl --user`, `~/.config/containers/systemd/`) and the
 * system's (root, `systemctl`, `/etc/containers/systemd/`).
 *
 * Source: podman-systemd.unit(5), "Podman rootful unit search path" and
 * "Podman rootless unit search path".
 *
 * @module
 */

/** `user`: rootless, `systemctl --user`; `system`: root, `systemctl`. */
export type Scope = "user" | "system";
