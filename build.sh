#!/usr/bin/env bash
# Tandem's front door.
#   ./build.sh install   apt packages, NuGet restore, Release build, `tandem` in /usr/local/bin
#   ./build.sh demo      install, then a two-node lab cluster on this machine with the seed scenario
#   ./build.sh test      install, then every test (unit, conformance, simulation, lab integration)
#   ./build.sh bench     install, then the benchmarks in bench/ (results are written to bench/results/)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

# What Tandem's lab and tests run for real: corosync and its quorum device, Debian's resource and
# fence agents, Pacemaker's crm_simulate (the scheduler's oracle), FUSE, fio, namespaces tooling, and
# systemd for `systemd-analyze verify` of Tandem's units (it works without systemd running).
APT_PACKAGES=(
  corosync corosync-qnetd corosync-qdevice
  resource-agents fence-agents pacemaker-cli-utils
  fuse3 fio e2fsprogs util-linux iproute2 nftables procps psmisc iputils-ping kmod
  systemd
  postfix dovecot-core dovecot-imapd
)
# Postfix and Dovecot run inside the lab's nodes (the mail scenario), never as the host's services.
HOST_DISABLED_SERVICES=(postfix dovecot)
PREFIX=/usr/local/lib/tandem
CONFIGURATION=Release

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "run as root: the lab creates namespaces, mounts and loop devices"; }

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks what kind of mail server this is; the lab writes each node's configuration itself.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Keep the packages' maintainer scripts from starting the services on the host (only when no
    # policy exists already; a container's own policy is left alone).
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\ncase "$1" in postfix|dovecot) exit 101 ;; esac\nexit 104\n' >"$policy"
      chmod 0755 "$policy"
    fi
    apt-get -o DPkg::Lock::Timeout=300 update -qq || say "apt-get update reported errors; trying the install anyway"
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -z "$policy" ] || rm -f "$policy"
  fi
  disable_host_services
  # Debian starts corosync after installing it when systemd runs; Tandem's lab runs its own instances.
  command -v corosync >/dev/null || die "corosync is not installed"
}

# The host's own postfix and dovecot stay stopped and off at boot: the lab runs them inside its nodes.
disable_host_services() {
  local service
  for service in "${HOST_DISABLED_SERVICES[@]}"; do
    if [ -d /run/systemd/system ]; then
      systemctl disable --now "$service" >/dev/null 2>&1 || true
    else
      if command -v systemctl >/dev/null; then systemctl disable "$service" >/dev/null 2>&1 || true; fi
      [ -x "/etc/init.d/$service" ] && "/etc/init.d/$service" status >/dev/null 2>&1 && "/etc/init.d/$service" stop >/dev/null 2>&1
      [ -x "/etc/init.d/$service" ] && update-rc.d "$service" disable >/dev/null 2>&1
    fi
  done
  return 0
}

install_tandem() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH"
  say "dotnet: restore and build ($CONFIGURATION)"
  dotnet build Tandem.slnx -c "$CONFIGURATION" -nologo -clp:ErrorsOnly
  say "install: $PREFIX, /usr/local/bin/tandem"
  dotnet publish src/Tandem.Cli/Tandem.Cli.csproj -c "$CONFIGURATION" --no-build -nologo -o "$PREFIX.new" >/dev/null
  # Pacemaker-compatible helpers for agents only: the executor puts agent-bin first on their PATH.
  mkdir -p "$PREFIX.new/agent-bin"
  for helper in crm_attribute crm_master crm_node crm_resource crm_mon attrd_updater; do
    ln -sf ../tandem "$PREFIX.new/agent-bin/$helper"
  done
  rm -rf "$PREFIX.old"
  [ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
  mv "$PREFIX.new" "$PREFIX"
  rm -rf "$PREFIX.old"
  ln -sf "$PREFIX/tandem" /usr/local/bin/tandem
  # Tandem's own OCF agents (ocf:tandem:*), next to Debian's providers.
  if compgen -G "agents/ocf/tandem/*" >/dev/null; then
    install -d /usr/lib/ocf/resource.d/tandem
    install -m 0755 agents/ocf/tandem/* /usr/lib/ocf/resource.d/tandem/
  fi
  # Tandem's own fence agents (stonith:fence_tandemlab), next to Debian's in /usr/sbin.
  if compgen -G "agents/fence/fence_*" >/dev/null; then
    install -m 0755 agents/fence/fence_* /usr/sbin/
  fi
}

cmd_install() {
  need_root
  install_packages
  install_tandem
}

cmd_demo() {
  cmd_install
  exec /usr/local/bin/tandem lab demo "$@"
}

cmd_test() {
  cmd_install
  say "tests"
  local results=artifacts/test-results
  rm -rf "$results"
  # Unit, conformance and simulation projects run in parallel; the lab integration tests run alone
  # afterwards because they measure real timing and share the machine's two cores.
  dotnet test Tandem.slnx -c "$CONFIGURATION" --no-build -nologo \
    --filter "Category!=Lab" --logger "console;verbosity=normal" --results-directory "$results" "$@"
  local project
  for project in tests/Tandem.Corosync.Tests tests/Tandem.Integration.Tests; do
    dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
      --filter "Category=Lab" --logger "console;verbosity=normal" --results-directory "$results" "$@"
  done
}

cmd_bench() {
  cmd_install
  dotnet run --project bench/Tandem.Bench -c "$CONFIGURATION" --no-build -- "$@"
}

case "${1:-}" in
  install) shift; cmd_install "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) die "usage: ./build.sh install|demo|test|bench" ;;
esac
