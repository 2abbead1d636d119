// Command etcd is a thin entry point for the etcd server at the version that
// the pinned Kubernetes module requires (go.etcd.io/etcd/server/v3).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
