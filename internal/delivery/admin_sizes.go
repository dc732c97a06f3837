package delivery

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// sizesPage is the fee table by size and prefecture of one method.
type sizesPage struct {
	M      Method
	BySize bool
	Sizes  []int
	Rows   []sizeRow
	Fields map[string]string
}

type sizeRow struct {
	jp.Prefecture
	Cells []sizeCell
}

type sizeCell struct {
	Name, Value string // the input's name (fee_<size>_<pref>) and text
	Size        int
}

// sizes shows a method's fees by size × prefecture.
// GET /{admin}/settings/delivery/{id}/sizes
func (a *Admin) sizes(w http.ResponseWriter, r *http.Request) error {
	m, err := a.method(r)
	if err != nil {
		return err
	}
	fees, err := SizeFees(r.Context(), a.DB, m.ID)
	if err != nil {
		return err
	}
	text := map[string]string{}
	for size, byPref := range fees {
		for pref, fee := range byPref {
			text[cellName(size, pref)] = strconv.FormatInt(int64(fee), 10)
		}
	}
	return a.renderSizes(w, r, http.StatusOK, m, m.FeeBySize, text, nil)
}

func (a *Admin) method(r *http.Request) (Method, error) {
	id, err := pathID(r)
	if err != nil {
		return Method{}, err
	}
	return MethodByID(r.Context(), a.DB, id)
}

func cellName(size, pref int) string { return "fee_" + strconv.Itoa(size) + "_" + strconv.Itoa(pref) }

func (a *Admin) renderSizes(w http.ResponseWriter, r *http.Request, status int, m Method, bySize bool, text, fields map[string]string) error {
	p := &sizesPage{M: m, BySize: bySize, Sizes: Sizes, Fields: fields}
	for _, pr := range jp.Prefectures() {
		row := sizeRow{Prefecture: pr}
		for _, size := range Sizes {
			n := cellName(size, pr.Code)
			row.Cells = append(row.Cells, sizeCell{Name: n, Value: text[n], Size: size})
		}
		p.Rows = append(p.Rows, row)
	}
	return a.Shell.Page(w, r, status, "admin_delivery_sizes", "sizes.title", p)
}

// saveSizes replaces the table and whether the method charges by it; a
// bad cell re-shows the table with the message and nothing written.
// POST /{admin}/settings/delivery/{id}/sizes
func (a *Admin) saveSizes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, err := a.method(r)
	if err != nil {
		return err
	}
	bySize := r.PostFormValue("fee_by_size") == "1"
	text, fields := map[string]string{}, map[string]string{}
	fees := map[int]map[int]shop.Yen{}
	n := 0
	for _, size := range Sizes {
		for _, pr := range jp.Prefectures() {
			name := cellName(size, pr.Code)
			raw := strings.TrimSpace(r.PostFormValue(name))
			if raw == "" {
				continue
			}
			text[name] = raw
			fee, ok := shop.ParseYen(raw)
			if !ok || fee > maxFee {
				fields[name], fields["fees"] = "sizes.bad_fee", "sizes.bad_fee"
				continue
			}
			if fees[size] == nil {
				fees[size] = map[int]shop.Yen{}
			}
			fees[size][pr.Code] = fee
			n++
		}
	}
	if len(fields) == 0 {
		err = a.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := SaveSizeFees(ctx, tx, m.ID, bySize, fees); err != nil {
				return err
			}
			_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "delivery.size_fees_save", m.Code, map[string]any{
				"fee_by_size": bySize, "cells": n, "before": map[string]any{"fee_by_size": m.FeeBySize}}))
			return err
		})
		fields = shop.FieldsOf(err)
		if fields == nil && err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return a.renderSizes(w, r, http.StatusUnprocessableEntity, m, bySize, text, fields)
	}
	return a.Shell.Done(w, r, "sizes.saved", AdminPath+"/"+strconv.FormatInt(m.ID, 10)+"/sizes")
}
