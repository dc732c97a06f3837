package admin

import (
	"net/http"

	"github.com/akinai/akinai/internal/order"
)

// ordersRoutes mounts the orders area screens still kept here: CSV
// export, detail, edits, status, shipments, notes, messages, delivery
// slip and invoice PDFs. The list, its saved filters and bulk actions are
// the order package's own (order.AdminPages, mounted through Section).
func (h *Handlers) ordersRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /orders/invoices.pdf", AreaOrders, Read, false, h.ordersInvoicesPDF)
	h.Mount(mux, "GET /orders/slips", AreaOrders, Read, false, h.ordersSlips)
	h.Mount(mux, "GET /orders/{number}", AreaOrders, Read, false, h.orderDetail)
	h.Mount(mux, "POST /orders/{number}/edit", AreaOrders, Write, false, h.orderEdit)
	h.Mount(mux, "POST /orders/{number}/status", AreaOrders, Write, false, h.orderStatus)
	h.Mount(mux, "POST /orders/{number}/ship", AreaOrders, Write, false, h.orderShip)
	h.Mount(mux, "POST /orders/{number}/parcels/{parcel}/ship", AreaOrders, Write, false, h.orderShipParcel)
	h.Mount(mux, "POST /orders/{number}/note", AreaOrders, Write, false, h.orderNote)
	h.Mount(mux, "POST /orders/{number}/message", AreaOrders, Write, false, h.orderMessage)
	h.Mount(mux, "GET /orders/{number}/slip", AreaOrders, Read, false, h.orderSlip)
	h.Mount(mux, "GET /orders/{number}/invoice.pdf", AreaOrders, Read, false, h.orderInvoicePDF)
}

// orderStatuses lists the statuses in the order the screens offer them.
var orderStatuses = order.ListStatuses

var paymentCodes = []string{order.Card, order.BankTransfer, order.COD}
