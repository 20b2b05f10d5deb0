/**
 * The command that installs (or upgrades) a package on this host's
 * distribution, read from `/etc/os-release` (`ID`, then `ID_LIKE`); `null`
 * for a distribution leger does not know.
 *
 * @param osRelease The text of `/etc/os-release`, or `null`.
 * @param pkg The package.
 * @returns Such as `sudo apt-get install podman`.
 */
export function packageCommand(
  osRelease: string | null,
  pkg: string,
): string | null {
  const field = (name: string) =>
    new RegExp(`^${name}=["']?([^"'\\n]*)`, "m").exec(osRelease ?? "")?.[1] ??
      "";
  const ids = [field("ID"), ...field("ID_LIKE").split(/\s+/)];
  for (const id of ids) {
    switch (id) {
      case "debian":
      case "ubuntu":
        return `sudo apt-get install ${pkg}`;
      case "fedora":
      case "rhel":
      case "centos":
        return `sudo dnf install ${pkg}`;
      case "arch":
        return `sudo pacman -S ${pkg}`;
      case "suse":
      case "opensuse":
        return `sudo zypper install ${pkg}`;
      case "alpine":
        return `sudo apk add ${pkg}`;
    }
  }
  return null;
}
