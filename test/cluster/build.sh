#!/usr/bin/env bash
# Builds the control-plane binaries for the test harness into the persistent cache
# (outside the clone, so a fresh CI clone on the same machine reuses them):
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler  (module in ./build)
#   kwok                                                          (sigs.k8s.io/kwok)
#   helm (a client tool for tests of Helm-managed Cilium)          (helm.sh/helm/v3)
#   kubectl (the baseline of bench/status)                         (module in ./build)
# Idempotent: a stamp records the inputs; a warm run does nothing.
# Exit code 3 with a "MISSING:" line on stderr when Go is not installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
K8S_VERSION="v1.36.3"
KWOK_VERSION="v0.8.0"
HELM_VERSION="v3.22.0"
cache="${KEC_CACHE_DIR:-$HOME/.cache/kec-harness}"
bin="$cache/bin-$K8S_VERSION"
stamp="$bin/.stamp"
want="k8s=$K8S_VERSION stamped kwok=$KWOK_VERSION helm=$HELM_VERSION sum=$(sha256sum "$here/build/go.sum" "$here/build/go.mod" "$here/build/cmd/etcd/main.go" | sha256sum | cut -c1-16)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm; do
    [ -x "$bin/$b" ] || { rm -f "$stamp"; break; }
  done
  if [ -f "$stamp" ]; then
    echo "harness: binaries up to date in $bin" >&2
    exit 0
  fi
fi

# KEC_HARNESS_GO names the go binary (also lets tests simulate a machine without Go).
go="${KEC_HARNESS_GO:-}"
if [ -z "$go" ]; then
  go="$(command -v go || true)"
  if [ -z "$go" ] && [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; fi
fi
if [ -z "$go" ] || [ ! -x "$go" ]; then
  echo "MISSING: go (Go >= 1.26 toolchain) is needed to build kube-apiserver/etcd/kwok for the integration tests" >&2
  exit 3
fi

mkdir -p "$bin" "$cache/gomod" "$cache/gobuild"
export GOMODCACHE="$cache/gomod" GOCACHE="$cache/gobuild" GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="-p=${KEC_BUILD_PARALLELISM:-2} -mod=readonly"
start=$(date +%s)
echo "harness: building Kubernetes $K8S_VERSION control plane and etcd into $bin (cold: 6-20 min on 2 cores, depending on load)"
cd "$here/build"
# Stamp the version as the release build does, so that /version and `kubectl version` say v1.36.3.
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
ver=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ver="$ver -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
nice -n 10 "$go" build -trimpath -ldflags="-s -w$ver" -o "$bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl \
  ./cmd/etcd
echo "harness: building kwok $KWOK_VERSION"
GOFLAGS="-p=${KEC_BUILD_PARALLELISM:-2}" GOBIN="$bin" nice -n 10 "$go" install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
echo "harness: building helm $HELM_VERSION"
GOFLAGS="-p=${KEC_BUILD_PARALLELISM:-2}" GOBIN="$bin" nice -n 10 "$go" install -trimpath -ldflags='-s -w' "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
echo "$want" > "$stamp"
echo "harness: build finished in $(( $(date +%s) - start ))s"
