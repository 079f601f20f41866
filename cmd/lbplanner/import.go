package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
)

func (a *app) importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import MANIFESTS...",
		Short: "Write the declaration lbplanner reads from Kubernetes manifests",
		Long: `Reads Kubernetes manifests (files and folders; multi-document YAML, JSON, List
objects) and prints the declaration plan would use, to review or edit:

  - one service per Service (ExternalName aliases skipped), with every port of a
    multi-port LoadBalancer or NodePort Service and its protocol (appProtocol,
    port name, or 80/8080 HTTP and 443/8443 HTTPS, guessed with a warning);
  - protocol, hosts and paths from the Ingresses, Gateway API routes and Istio
    VirtualServices that reach it; canary backends of one rule as routedWith;
  - audience, current exposure and currentLoadBalancer as the controllers
    create them (ALB per IngressGroup or Ingress, NLB or Classic LB per
    LoadBalancer Service, a Google load balancer per GKE Ingress or Gateway,
    one in-cluster proxy per class, ...);
  - needs: clientIP from externalTrafficPolicy Local, staticIP from reserved
    addresses, tlsPassthrough from TLSRoutes and ssl-passthrough;
  - traffic and overrides from lbplanner.io annotations (traffic, hosts, paths,
    requests-per-second, gb-per-month, latency-budget-ms, needs, audience, pin,
    protocol, certificate) or --traffic FILE.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := a.readSources(args)
			if err != nil {
				return err
			}
			opts, err := a.manifestOptions()
			if err != nil {
				return err
			}
			res, err := manifests.Read(srcs, opts)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(a.stderr, "lbplanner: warning: %s\n", w)
			}
			var out []byte
			switch format := a.v.GetString("output"); format {
			case "json":
				out, err = report.JSON(res.Declaration)
			case "yaml":
				var buf bytes.Buffer
				fmt.Fprintf(&buf, "# lbplanner declaration read from %s\n", strings.Join(args, ", "))
				enc := yaml.NewEncoder(&buf)
				enc.SetIndent(2)
				if err = enc.Encode(res.Declaration); err == nil {
					err = enc.Close()
				}
				out = buf.Bytes()
			default:
				return fmt.Errorf("--output: want yaml or json, got %q", format)
			}
			if err != nil {
				return err
			}
			return a.emit(out)
		},
	}
	cmd.Flags().String("cloud", "", "cloud the manifests run on (default: inferred from provider annotations)")
	cmd.Flags().String("region", "", "region the manifests run in")
	cmd.Flags().Bool("strict", false, "a route to a Service that is not in the manifests is an error, not a warning")
	cmd.Flags().String("traffic", "", "a YAML file of traffic by namespace/name, e.g. shop/web: {requestsPerSecond: 200, gbPerMonth: 50}")
	cmd.Flags().StringP("output", "o", "yaml", "output format: yaml or json")
	cmd.Flags().String("out", "", "write the declaration to this file (atomically) instead of standard output")
	return cmd
}
