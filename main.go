// Command terraform-provider-lbplanner serves the lbplanner Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/lbplanner/terraform-provider-lbplanner/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	provider.QuietFrameworkLogs()
	newServer := provider.NewServer(version)
	srv, err := newServer()
	if err != nil {
		log.Fatal(err)
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/lbplanner/lbplanner", func() tfprotov6.ProviderServer { return srv }, opts...); err != nil {
		log.Fatal(err)
	}
}
