package discovery

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"

	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// requireXML makes a call fail when the endpoint's answer is not XML (an
// empty body, JSON, a proxy's text page): the SDK would otherwise read some
// of them as an empty answer, i.e. no load balancers.
func requireXML(o *elbv2.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		// added last, it sees the raw answer before the SDK's deserializer does
		return stack.Deserialize.Add(xmlCheck, middleware.After)
	})
}

var xmlCheck = middleware.DeserializeMiddlewareFunc("LBPlannerRequireXML",
	func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		resp, ok := out.RawResponse.(*smithyhttp.Response)
		if err != nil || !ok || resp.Body == nil {
			return out, md, err
		}
		br := bufio.NewReader(resp.Body)
		peek, _ := br.Peek(64)
		if !bytes.HasPrefix(bytes.TrimLeft(peek, " \t\r\n\ufeff"), []byte("<")) {
			return out, md, fmt.Errorf("the endpoint's answer is not XML (HTTP %d, %q)", resp.StatusCode, peek)
		}
		resp.Body = struct {
			io.Reader
			io.Closer
		}{br, resp.Body}
		return out, md, nil
	})
