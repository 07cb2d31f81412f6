#!/usr/bin/env bash
# Builds Canopy's tiny bootable image from Debian packages only: the cloud kernel
# (linux-image-cloud-amd64) and busybox-static, fetched with `apt-get download` and unpacked
# with dpkg-deb (nothing is installed on the host). Output, in OUT (default images/target/tiny):
#   vmlinuz          the kernel
#   initramfs.gz     busybox, the virtio and iso9660 modules, and an init that reads the
#                    NoCloud seed, brings eth0 up with DHCP, runs acpid (ACPI power button →
#                    poweroff), prints "CANOPY-TINY-BOOTED instance-id=<id>" on the console and
#                    serves HTTP on port 80
#   root.img         a small ext2 root disk (for disk plumbing; the guest runs from RAM)
#   SHA256SUMS       digests of the three
# Nothing binary is committed: this recipe is the image. Idempotent: reuses OUT when complete.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../target/tiny}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [[ -f "$out/SHA256SUMS" ]] && (cd "$out" && sha256sum --quiet -c SHA256SUMS 2>/dev/null); then
  echo "tiny image: up to date in $out"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

if ! apt-get download linux-image-cloud-amd64 busybox-static >/dev/null 2>download.log; then
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get download linux-image-cloud-amd64 busybox-static >/dev/null 2>download.log
  else cat download.log >&2; echo "tiny image: apt-get download failed; run 'sudo apt-get update' first" >&2; exit 1; fi
fi
# The metapackage names the versioned kernel package; fetch that one.
kernel_pkg="$(dpkg-deb -f linux-image-cloud-amd64_*.deb Depends | tr ',' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -1)"
apt-get download "$kernel_pkg" >/dev/null 2>>download.log
dpkg-deb -x "$kernel_pkg"_*.deb kernel
dpkg-deb -x busybox-static_*.deb busybox
kver="$(ls kernel/lib/modules)"
bb="$work/busybox/bin/busybox"

# Module load order, dependencies first, from busybox's depmod over the unpacked tree.
"$bb" depmod -b "$work/kernel" "$kver"
# The drivers the guest needs; their dependencies come from modules.dep, loaded first.
wanted=(virtio_pci virtio_net virtio_blk isofs button evdev)
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,mnt/seed,www,etc/acpi/PWRF,lib/modules}
moddir="kernel/lib/modules/$kver"
declare -A seen=()
order=()
add_module() { # name or path relative to moddir; appends deps first, each once
  local entry=$1 path deps dep
  path="$(sed -n "s#^\([^:]*/${entry##*/}\):.*#\1#p" "$moddir/modules.dep" | head -1)"
  [[ "$entry" == */* ]] && path="$entry"
  if [[ -z "$path" ]]; then
    grep -q "/${entry##*/}$" "$moddir/modules.builtin" && return 0  # built into the kernel
    echo "tiny image: module $entry not found" >&2; exit 1
  fi
  [[ -n "${seen[$path]:-}" ]] && return 0
  seen[$path]=1
  deps="$(sed -n "s#^${path}: *##p" "$moddir/modules.dep")"
  for dep in $deps; do add_module "$dep"; done
  cp "$moddir/$path" "$root/lib/modules/"
  order+=("/lib/modules/${path##*/}")
}
for name in "${wanted[@]}"; do add_module "$name.ko"; done
printf '%s\n' "${order[@]}" >"$root/etc/modules.order"

cp "$bb" "$root/bin/busybox"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /etc/modules.order); do insmod "$module" 2>/dev/null; done
sleep 1
instance_id=unknown
for disk in /dev/vd? /dev/sr?; do
  [ -b "$disk" ] || continue
  if mount -t iso9660 -o ro "$disk" /mnt/seed 2>/dev/null; then
    if [ -f /mnt/seed/meta-data ]; then
      instance_id="$(sed -n 's/^instance-id: *//p' /mnt/seed/meta-data)"
      hostname "$(sed -n 's/^local-hostname: *//p' /mnt/seed/meta-data)" 2>/dev/null
      break
    fi
    umount /mnt/seed
  fi
done
ip link set lo up
ip link set eth0 up 2>/dev/null && udhcpc -i eth0 -s /etc/udhcpc.script -t 10 -T 2 -n -q >/dev/null 2>&1
acpid -d -c /etc/acpi >/dev/null 2>&1 &
echo "<html><body>canopy tiny image, instance $instance_id</body></html>" >/www/index.html
httpd -p 80 -h /www
echo "CANOPY-TINY-BOOTED instance-id=$instance_id"
while true; do sleep 3600; done
INIT
chmod 755 "$root/init"
# busybox acpid runs every file in /etc/acpi/<event>/ for that event: the power button powers off.
printf '#!/bin/sh\necho CANOPY-TINY-POWEROFF >/dev/console\nsync\npoweroff -f\n' >"$root/etc/acpi/PWRF/00000080"
chmod 755 "$root/etc/acpi/PWRF/00000080"
cat >"$root/etc/udhcpc.script" <<'DHCP'
#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
    echo "CANOPY-TINY-ADDRESS $ip" >/dev/console ;;
esac
DHCP
chmod 755 "$root/etc/udhcpc.script"

(cd "$root" && find . | "$bb" cpio -o -H newc 2>/dev/null) | gzip -9 >"$out/initramfs.gz"
cp "kernel/boot/vmlinuz-$kver" "$out/vmlinuz"
mkdir -p rootfs && echo "canopy tiny root disk" >rootfs/README
rm -f "$out/root.img"
"$bb" dd if=/dev/zero of="$out/root.img" bs=1M count=16 2>/dev/null
/sbin/mke2fs -q -t ext2 -d rootfs "$out/root.img" 2>/dev/null || "$bb" mke2fs -q "$out/root.img"
(cd "$out" && sha256sum vmlinuz initramfs.gz root.img >SHA256SUMS)
echo "tiny image: built in $out (kernel $kver)"
