package planner

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The heuristic used above ExactLimit never beats the exact optimum (that
// would be a pricing bug), always respects quotas and routes, and on small
// instances, where the optimum is known, finds it most of the time.
func TestHeuristicAgainstExact(t *testing.T) {
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(5, 6))
	same, total := 0, 0
	for n := 0; n < 300; n++ {
		d := randomDeclaration(r, 3+n%6)
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.optimise(); err != nil {
			continue
		}
		for _, scheme := range []string{schemeInternet, schemeInternal} {
			var idx []int
			for i := range m.svcs {
				if m.svcs[i].scheme == scheme && (m.svcs[i].shareable[kALB] || m.svcs[i].shareable[kNginx]) {
					idx = append(idx, i)
				}
			}
			if len(idx) < 2 {
				continue
			}
			f := m.exact(scheme, idx)
			exact := groupsVal(m, f.build(0))
			heur := m.heuristic(scheme, idx)
			for _, g := range heur {
				if len(g.members) > 1 {
					if why := m.sharedFits(g.kind, g.members); why != "" {
						t.Fatalf("instance %d: heuristic group breaks a limit: %s", n, why)
					}
				}
			}
			hv := groupsVal(m, heur)
			if hv.less(exact) {
				t.Fatalf("instance %d: heuristic %+v beats the exact optimum %+v", n, hv, exact)
			}
			total++
			if hv.cents == exact.cents {
				same++
			}
		}
	}
	t.Logf("heuristic found the optimal cost on %d of %d classes", same, total)
	if total < 100 || same*10 < total*8 {
		t.Fatalf("heuristic optimal on only %d of %d classes (want 80%%)", same, total)
	}
}

func groupsVal(m *model, gs []*group) val {
	var v val
	for _, g := range gs {
		c, _, _ := m.cost(g, false)
		v = v.plus(val{cents: c, lat: m.latSum(g.kind, g.members), lbs: lbCount(g.kind)})
	}
	return v
}

// syntheticDeclaration is a large, realistic mix for benchmarks: mostly HTTP(S)
// services across teams, some gRPC, TCP and UDP, internet and VPC audiences.
func syntheticDeclaration(n int) *Declaration {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Zones: 3}
	for i := 0; i < n; i++ {
		s := Service{Name: fmt.Sprintf("svc-%06d", i), Namespace: fmt.Sprintf("team-%03d", i%300), Port: 8080}
		switch x := r.IntN(20); {
		case x < 10:
			s.Protocol = ProtoHTTPS
		case x < 14:
			s.Protocol = ProtoHTTP
		case x < 16:
			s.Protocol = ProtoGRPC
		case x < 18:
			s.Protocol = ProtoTCP
		default:
			s.Protocol = ProtoUDP
		}
		s.Audience = []string{AudienceInternet, AudienceVPC, AudienceVPC, AudienceCluster}[r.IntN(4)]
		if isL7(s.Protocol) {
			s.Hosts = []string{fmt.Sprintf("svc-%06d.example.com", i)}
			if s.Protocol != ProtoHTTP && r.IntN(3) > 0 {
				s.Certificate = "wildcard"
			}
		}
		rps := Q(int64(r.IntN(500)))
		s.Traffic = Traffic{RequestsPerSecond: rps, NewConnectionsPerSecond: rps / 10, ActiveConnections: rps * 5, GBPerMonth: rps * 2}
		d.Services = append(d.Services, s)
	}
	return d
}

func benchmarkPlan(b *testing.B, n int) { benchmarkCloudPlan(b, "aws", "us-east-1", n) }

func benchmarkCloudPlan(b *testing.B, cloud, region string, n int) {
	cat := defaultCatalog(b)
	decl := syntheticDeclaration(n)
	decl.Cloud, decl.Region = cloud, region
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := *decl
		d.Services = append([]Service(nil), decl.Services...)
		b.StartTimer()
		if _, err := Compute(&d, cat); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "services/s")
}

func BenchmarkPlan1k(b *testing.B)   { benchmarkPlan(b, 1_000) }
func BenchmarkPlan10k(b *testing.B)  { benchmarkPlan(b, 10_000) }
func BenchmarkPlan100k(b *testing.B) { benchmarkPlan(b, 100_000) }

func BenchmarkPlanGCP10k(b *testing.B)   { benchmarkCloudPlan(b, "gcp", "us-central1", 10_000) }
func BenchmarkPlanAzure10k(b *testing.B) { benchmarkCloudPlan(b, "azure", "eastus", 10_000) }
