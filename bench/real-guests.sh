#!/usr/bin/env bash
# Real guests on libvirtd: boot-to-marker time (run-instances until the guest's console shows
# CANOPY-TINY-BOOTED with its instance id, through get-console-output), and metering lag (UDP
# pushed to the guest until the controller has stored samples counting it), N guests one after
# another in one `canopy dev --hypervisor-uri qemu:///system --virt-type qemu`. Needs root,
# libvirtd (deploy/libvirtd start), the built jar and images/target/tiny. Writes
# bench/results/real-guests.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
out="$root/bench/results/real-guests.txt"
tmp="$(mktemp -d)"
chmod 755 "$tmp"   # QEMU's user must reach the guests' files
java -Xmx512m -jar "$root/deploy/target/canopy.jar" dev --data "$tmp/data" --ec2-port 0 --s3-port 0 --console-port 0 \
  --management-port 0 --agent-port 0 --hypervisor-uri qemu:///system --virt-type qemu --system-image "$root/images/target/tiny" \
  >"$tmp/canopy.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$tmp"' EXIT
until [[ -f "$tmp/data/endpoints.json" ]]; do kill -0 $pid || { cat "$tmp/canopy.log"; exit 1; }; sleep 0.2; done
/usr/bin/python3 "$root/bench/real_guests.py" "$tmp/data" "$runs" | tee "$out"
