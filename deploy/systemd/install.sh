#!/usr/bin/env bash
# Installs Canopy's layout for the roles this host runs (docs/operations.md):
#   deploy/systemd/install.sh [controller] [storage] [node]
# The jar goes to /usr/lib/canopy/canopy.jar (CANOPY_JAR names another than deploy/target's),
# the units to /etc/systemd/system, example flags to /etc/canopy/ROLE.env (never over an existing
# file), and a system user `canopy`. The cloud's identity folder is copied separately (see the
# docs). DESTDIR installs under another root (a package build, or a look at what would change).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${CANOPY_JAR:-$here/../target/canopy.jar}"
root="${DESTDIR:-}"
[[ $# -gt 0 ]] || { echo "usage: $0 controller|storage|node..." >&2; exit 2; }
for role in "$@"; do
  [[ "$role" =~ ^(controller|storage|node)$ ]] || { echo "$0: unknown role $role (controller, storage, node)" >&2; exit 2; }
done
[[ -f "$jar" ]] || { echo "$0: no jar at $jar: build it (mvn -DskipTests package) or set CANOPY_JAR" >&2; exit 1; }

if [[ -z "$root" ]] && ! getent passwd canopy >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/canopy --no-create-home --shell /usr/sbin/nologin canopy
fi
owner=(-o root -g canopy)
[[ -z "$root" ]] || owner=()

install -D -m 0644 "$jar" "$root/usr/lib/canopy/canopy.jar"
install -D -m 0644 "$here/../../docs/operations.md" "$root/usr/share/doc/canopy/operations.md"
install -d -m 0750 "${owner[@]}" "$root/etc/canopy"
for role in "$@"; do
  install -D -m 0644 "$here/canopy-$role.service" "$root/etc/systemd/system/canopy-$role.service"
  for example in "$here/$role.env" "$here/$role.yaml"; do
    target="$root/etc/canopy/$(basename "$example")"
    if [[ -f "$example" && ! -e "$target" ]]; then
      install -m 0640 "${owner[@]}" "$example" "$target"
      echo "installed $target: edit it before the first start"
    fi
  done
done
if [[ -z "$root" && -d /run/systemd/system ]]; then
  systemctl daemon-reload
fi
echo "installed canopy for: $*"
