package discoverytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
)

// GCPServer answers GET /compute/v1/projects/{project}/aggregated/forwardingRules
// like the Compute Engine REST API, one scope per page.
type GCPServer struct {
	project string
	scopes  map[string]int // scope key ("global", "regions/R") -> forwarding rules
	// Pages counts the pages served.
	Pages int
	// RepeatToken makes every page after the first name itself as the next, as a broken endpoint would.
	RepeatToken bool
}

// NewGCPServer serves a project with the given number of forwarding rules per scope.
func NewGCPServer(project string, scopes map[string]int) *GCPServer {
	return &GCPServer{project: project, scopes: scopes}
}

// ServeHTTP answers the aggregated list, paged by pageToken.
func (s *GCPServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet || r.URL.Path != "/compute/v1/projects/"+s.project+"/aggregated/forwardingRules" {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":{"code":404,"message":"The resource '%s' was not found","errors":[{"reason":"notFound"}]}}`, r.URL.Path)
		return
	}
	keys := make([]string, 0, len(s.scopes))
	for k := range s.scopes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	page, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
	s.Pages++
	out := map[string]any{"kind": "compute#forwardingRuleAggregatedList", "id": "projects/" + s.project + "/aggregated/forwardingRules"}
	items := map[string]any{}
	if page < len(keys) {
		k := keys[page]
		var rules []map[string]any
		for i := 0; i < s.scopes[k]; i++ {
			rules = append(rules, map[string]any{"kind": "compute#forwardingRule", "name": fmt.Sprintf("fr-%d", i), "IPProtocol": "TCP"})
		}
		items[k] = map[string]any{"forwardingRules": rules}
		if page+1 < len(keys) {
			out["nextPageToken"] = strconv.Itoa(page + 1)
		}
		if s.RepeatToken && page > 0 {
			out["nextPageToken"] = strconv.Itoa(page)
		}
	}
	items["regions/asia-east1"] = map[string]any{"warning": map[string]any{"code": "NO_RESULTS_ON_PAGE", "message": "There are no results for scope 'regions/asia-east1' on this page."}}
	out["items"] = items
	json.NewEncoder(w).Encode(out)
}
