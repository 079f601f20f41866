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

  - one service per Service (ExternalName Services are skipped), its first port;
  - protocol from the Ingresses and Gateway API routes that reach it (HTTPS for TLS
    hosts, GRPC from backend-protocol annotations and GRPCRoutes), else from its
    ports (UDP, or a single port named or appProtocol http, https, grpc);
  - hosts and paths from those routes;
  - audience and current exposure from its type (LoadBalancer, NodePort), the
    internal-scheme annotations of AWS, GKE and AKS, and being routed to;
  - needs: clientIP from externalTrafficPolicy Local, staticIP from reserved
    addresses, tlsPassthrough from TLSRoutes and ssl-passthrough;
  - traffic, latency budget, needs, audience, pin, protocol and certificate from
    the annotations lbplanner.io/requests-per-second, new-connections-per-second,
    active-connections, gb-per-month, latency-budget-ms, needs, audience, pin,
    protocol and certificate.`,
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
