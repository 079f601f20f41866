package discovery_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"google.golang.org/api/option"

	"github.com/lbplanner/terraform-provider-lbplanner/discovery"
	"github.com/lbplanner/terraform-provider-lbplanner/discovery/discoverytest"
)

func TestGCPForwardingRules(t *testing.T) {
	srv := discoverytest.NewGCPServer("proj", map[string]int{"global": 3, "regions/us-central1": 4, "regions/europe-west1": 2})
	ctx := context.Background()
	client := gcpClient(t, srv)
	got, err := discovery.GCPForwardingRules(ctx, client, "proj", "us-central1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Global != 3 || got.Regional != 4 {
		t.Fatalf("counts %+v, want 3 global and 4 in us-central1", got)
	}
	if srv.Pages < 2 {
		t.Fatalf("read %d pages; the list is paged", srv.Pages)
	}
	if _, err := discovery.GCPForwardingRules(ctx, client, "other", "us-central1"); err == nil || !strings.Contains(err.Error(), "other") {
		t.Fatalf("unknown project: %v", err)
	}
}

func TestGCPForwardingRulesStopsOnRepeatedPageToken(t *testing.T) {
	srv := discoverytest.NewGCPServer("proj", map[string]int{"global": 1, "regions/us-central1": 1, "regions/europe-west1": 1})
	srv.RepeatToken = true
	ctx := context.Background()
	client := gcpClient(t, srv)
	if _, err := discovery.GCPForwardingRules(ctx, client, "proj", "us-central1"); err == nil || !strings.Contains(err.Error(), "repeated page token") || srv.Pages > 5 {
		t.Fatalf("got %v after %d pages", err, srv.Pages)
	}
}

// gcpClient is a Compute Engine forwarding-rules client of a local server, closed with the test.
func gcpClient(t *testing.T, srv *discoverytest.GCPServer) *compute.ForwardingRulesClient {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client, err := compute.NewForwardingRulesRESTClient(context.Background(), option.WithEndpoint(ts.URL), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}
