package planner

import (
	"fmt"
	"math/rand/v2"
)

// SyntheticDeclaration is a large, realistic declaration for benchmarks and
// load tests, the same for the same n: mostly HTTP(S) services with a host
// each across 300 teams, some gRPC, TCP and UDP, internet, VPC and cluster
// audiences, and traffic on every dimension.
func SyntheticDeclaration(n int) *Declaration {
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
