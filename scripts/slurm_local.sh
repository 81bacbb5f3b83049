#!/usr/bin/env bash
# slurm_local.sh - a single-node Slurm cluster on this machine, for the tests of
# `dnngen regress --slurm` and `dnngen sweep --slurm` (docs/slurm.md).
#
# Why this shape: the tests must run where there is no systemd and no cgroup delegation (a
# container), and must not touch a site's /etc/slurm or /etc/munge. So everything lives
# under one state directory: a fresh munge key and socket, slurm.conf (one node, this host,
# its CPUs; proctrack/linuxproc, task/none, no accounting, no cgroups), the controller's
# state and the node's spool, logs and pid files. munged, slurmctld and slurmd run as root
# from that directory, on ports no other instance uses. Clients find the cluster through
# SLURM_CONF=DIR/slurm.conf (slurm.conf names the munge socket).
#
# Usage: scripts/slurm_local.sh start DIR   install missing packages (root), start, wait
#                                           until the node is idle; prints SLURM_CONF=...
#        scripts/slurm_local.sh stop DIR    stop the daemons started in DIR (by pid file)
# Exit: 0 ok, 2 bad usage or packages missing and not installable (not root), 3 a daemon
#       failed to start or the node did not become idle (the logs' last lines are printed).
set -euo pipefail

die() { local code=$1; shift; printf 'slurm_local: %s\n' "$*" >&2; exit "$code"; }

[ $# -eq 2 ] || die 2 "usage: scripts/slurm_local.sh start|stop DIR"
cmd=$1
dir=$2
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac

stop() {
    local f pid i m
    for f in slurmd slurmctld munged; do
        [ -s "$dir/$f.pid" ] || continue
        pid=$(cat "$dir/$f.pid")
        # only the daemon this directory started: its pid file and its command name agree
        if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$f" ]; then
            kill -TERM "$pid" 2>/dev/null || true
            for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$dir/$f.pid"
    done
    m=$(cat "$dir/munge.path" 2>/dev/null || true)
    case "$m" in /tmp/dnngen-munge.*) rm -rf "$m" ;; esac
    rm -f "$dir/munge.path"
}

if [ "$cmd" = stop ]; then
    stop
    exit 0
fi
[ "$cmd" = start ] || die 2 "unknown command '$cmd' (legal: start, stop)"

packages=(munge slurmctld slurmd slurm-client)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die 2 "missing packages: ${missing[*]} (run as root, or apt-get install them)"
    printf 'slurm_local: installing %s\n' "${missing[*]}"
    apt-get update >/dev/null || die 3 "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
        || die 3 "apt-get install failed for: ${missing[*]}"
fi
[ "$(id -u)" -eq 0 ] || die 2 "the daemons run as root here (legal: run as root)"

mkdir -p "$dir"
stop # an earlier start in the same directory
rm -rf "$dir/state" "$dir/spool" "$dir/log"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
# munged wants every directory above its socket executable by all and writable by root
# only, which a private test directory (mktemp -d: 0700) is not: its files go to a
# directory of their own under /tmp, removed by stop
mdir=$(mktemp -d /tmp/dnngen-munge.XXXXXX)
chmod 711 "$mdir"
printf '%s\n' "$mdir" >"$dir/munge.path"
dd if=/dev/urandom of="$mdir/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$mdir/munge.key"

free_port() { # a TCP port on 127.0.0.1 nothing listens on, from $1 up
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}
base=$((20000 + $$ % 20000 * 2))
ctl_port=$(free_port "$base")
d_port=$(free_port $((ctl_port + 1)))
host=$(hostname -s)
cpus=$(nproc)

cat >"$dir/slurm.conf" <<EOF
# written by scripts/slurm_local.sh: a one-node test cluster
ClusterName=dnngentest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$mdir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=60
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

logs() { tail -n 5 "$mdir"/munged.log "$dir"/log/*.log 2>/dev/null | sed 's/^/  | /' >&2; }
munged --key-file="$mdir/munge.key" --socket="$mdir/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$mdir/munged.log" \
    --seed-file="$mdir/munged.seed" || { logs; die 3 "munged did not start"; }
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF" -i || { logs; stop; die 3 "slurmctld did not start"; }
slurmd -f "$SLURM_CONF" || { logs; stop; die 3 "slurmd did not start"; }
for i in $(seq 120); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
if [ "$state" != idle ]; then
    logs
    stop
    die 3 "node $host not idle after 60 s (state '${state:-none}')"
fi
printf 'slurm_local: node %s idle (%s CPUs), controller on port %s\n' "$host" "$cpus" "$ctl_port"
printf 'SLURM_CONF=%s\n' "$SLURM_CONF"
