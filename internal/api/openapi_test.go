package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
)

// openapiDoc is the served document, decoded.
type openapiDoc struct {
	Paths map[string]map[string]struct {
		Security []map[string][]string `json:"security"`
		Request  *struct {
			Content map[string]struct {
				Schema map[string]string `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]struct {
			Ref     string `json:"$ref"`
			Content map[string]struct {
				Schema map[string]string `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
}

// schemas compiles the document's component schemas with a JSON Schema
// 2020-12 validator (the dialect OpenAPI 3.1 uses).
func schemas(t *testing.T, raw []byte) func(name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The components as a schema document of their own: "$defs" in place
	// of "components/schemas", the references rewritten to match.
	comps := doc.(map[string]any)["components"].(map[string]any)["schemas"]
	b, _ := json.Marshal(map[string]any{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": comps})
	b = bytes.ReplaceAll(b, []byte("#/components/schemas/"), []byte("#/$defs/"))
	defs, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("https://akinai.test/schemas.json", defs); err != nil {
		t.Fatal(err)
	}
	return func(name string) *jsonschema.Schema {
		s, err := c.Compile("https://akinai.test/schemas.json#/$defs/" + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		return s
	}
}

func validate(t *testing.T, s *jsonschema.Schema, what string, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v in %s", what, err, body)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s does not match the OpenAPI document: %v\n%s", what, err, body)
	}
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

// TestOpenAPI_MatchesResponses calls every operation of the document
// against the real handler on both engines and validates each response
// body against the schema the document declares for it; the document and
// the mounted routes must list the same operations.
func TestOpenAPI_MatchesResponses(t *testing.T) {
	t.Parallel()
	raw, _ := openapiFS.ReadFile("openapi.json")
	var doc openapiDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	schema := schemas(t, raw)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestAPI(t, d)
		ids := seed(t, d)
		var all []string
		for _, a := range Areas {
			all = append(all, a+":write")
		}
		tok := ta.token(NewToken{Scopes: all})

		var documented []string
		for path, ops := range doc.Paths {
			for method := range ops {
				documented = append(documented, strings.ToUpper(method)+" /api/v1"+path)
			}
		}
		mounted := append([]string(nil), ta.h.routes...)
		sort.Strings(documented)
		sort.Strings(mounted)
		if fmt.Sprint(documented) != fmt.Sprint(mounted) {
			t.Fatalf("documented operations\n%v\ndiffer from the mounted ones\n%v", documented, mounted)
		}

		bodies := map[string]string{
			"PATCH /products/{id}":        `{"name_en":"Tea"}`,
			"PATCH /variants/{id}":        `{"price":1200}`,
			"PUT /stock/{sku}":            `{"stock":8}`,
			"POST /stock/{sku}/adjust":    `{"delta":-1}`,
			"POST /orders/{id}/status":    `{"status":"paid"}`,
			"PATCH /shipments/{id}":       `{"carrier":"yamato","tracking_number":"1234-5678"}`,
			"PATCH /coupons/{id}":         `{"active":false}`,
			"POST /customers/{id}/points": `{"delta":50,"reason":"API"}`,
		}
		for _, op := range documented {
			method, path, _ := strings.Cut(op, " ")
			key := strings.TrimPrefix(path, "/api/v1")
			spec := doc.Paths[key][strings.ToLower(method)]
			url := strings.NewReplacer("{sku}", "SKU-DOC", "{id}", ids[key]).Replace(path)
			r := ta.call(method, url, tok, bodies[method+" "+key])
			ok := spec.Responses["200"]
			if r.status != 200 {
				t.Errorf("%s %s: %d %s", method, url, r.status, r.body)
				continue
			}
			validate(t, schema(refName(ok.Content["application/json"].Schema["$ref"])), op, r.body)
			if spec.Request != nil && bodies[method+" "+key] == "" {
				t.Errorf("%s: no sample body in this test", op)
			}
			if len(spec.Security) != 1 || len(spec.Security[0]["bearer"]) != 1 {
				t.Errorf("%s: security %v does not name one scope", op, spec.Security)
			}
			if _, ok := spec.Responses["401"]; !ok {
				t.Errorf("%s: no 401 documented", op)
			}
		}
		// Problems match the Problem schema.
		for _, r := range []resp{
			ta.call("GET", "/api/v1/orders/999999", tok, ""),
			ta.call("PUT", "/api/v1/stock/SKU-DOC", tok, `{"stock":-4}`),
			ta.call("GET", "/api/v1/orders", "akn_wrong", ""),
		} {
			validate(t, schema("Problem"), "problem", r.body)
		}
	})
}

// seed makes one of everything the document's paths name and returns the
// ID to use for each path.
func seed(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	vid := ordertest.Variant(t, d, "SKU-DOC", "standard", 10)
	var pid int64
	d.QueryRow(ctx, `SELECT product_id FROM variants WHERE id = ?`, vid).Scan(&pid)
	cid := ordertest.Customer(t, d)
	oid := ordertest.Place(t, d, cid, order.New, map[int64]int64{pid: vid})
	var sid, coupon int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO categories (slug, name_ja, created_at, updated_at) VALUES ('tea', 'お茶', ?, ?)`, now, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) SELECT ?, id FROM categories WHERE slug = 'tea'`, pid); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO shipments (order_id, carrier, created_at) VALUES (?, '', ?) RETURNING id`, oid, now).Scan(&sid); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO coupons (code, name, kind, amount, created_at, updated_at) VALUES ('WELCOME', '初回', 'fixed', 500, ?, ?) RETURNING id`, now, now).Scan(&coupon)
	})
	if err != nil {
		t.Fatal(err)
	}
	s := func(id int64) string { return strconv.FormatInt(id, 10) }
	return map[string]string{
		"/products/{id}": s(pid), "/variants/{id}": s(vid), "/orders/{id}": s(oid), "/orders/{id}/status": s(oid),
		"/orders/{id}/shipments": s(oid), "/shipments/{id}": s(sid), "/customers/{id}": s(cid), "/customers/{id}/points": s(cid),
		"/coupons/{id}": s(coupon),
	}
}
