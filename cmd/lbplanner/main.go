// Command lbplanner plans how Kubernetes services are exposed on a cloud and
// what that costs: lbplanner plan FILE, validate FILE, prices, version.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
